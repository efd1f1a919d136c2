package io.mailcast.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live; requests find their key by the hash of its secret, never by the secret. */
public interface ApiKeyStore {

    void insert(ApiKey key);

    Optional<ApiKey> findBySecretHash(String secretHash);

    /** The key with this id, revoked or not. */
    Optional<ApiKey> find(String id);

    /** Every key, oldest first, revoked ones included. */
    List<ApiKey> all();

    /** Revokes a valid key; false when there is no such key or it was already revoked. */
    boolean revoke(String id, Instant at);

    /** Sets or (with {@code null}) removes a key's webhook; false when there is no such key. */
    boolean setWebhook(String id, Webhook webhook);
}
