package io.mailcast.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes API key secrets. A secret is 32 random bytes, so a plain SHA-256 is enough to store it: a slow
 * password hash (bcrypt, Argon2) protects guessable human passwords, but nobody can guess 2^256 values, and a fast hash
 * lets every request be checked by one indexed look-up.
 */
public final class ApiKeySecret {

    /** Prefix of every secret, so a leaked one is easy to recognise in logs and by secret scanners. */
    public static final String PREFIX = "mc_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    /** A new secret, shown to the operator once and never stored. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a secret, as stored and looked up. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
