package io.mailcast.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live; keys are found by the hash of their secret, never by the secret. */
public interface ApiKeyStore {

    void insert(ApiKey key);

    Optional<ApiKey> findBySecretHash(String secretHash);

    /** Every key, oldest first, revoked ones included. */
    List<ApiKey> all();

    /** Revokes a valid key; false when there is no such key or it was already revoked. */
    boolean revoke(String id, Instant at);
}
