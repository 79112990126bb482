package dev.gateway.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials bcrypt accepted a moment ago, so a client sending the same {@code Authorization} on
 * every request pays bcrypt once per {@value #TTL_SECONDS} s, not per request. Only successes are
 * kept (a wrong password always costs a check), keyed by a salted SHA-256 of user, password and
 * the user's hash: no password is held, and a changed hash (a reload with a new htpasswd) misses.
 * At most {@value #MAX_ENTRIES} entries; when full it starts over. Shared by the event loops.
 */
final class VerifiedCredentials {

    static final long TTL_SECONDS = 60;
    static final int MAX_ENTRIES = 10_000;
    private static final long TTL_NANOS = TTL_SECONDS * 1_000_000_000L;

    private final byte[] salt = new byte[32];
    private final ConcurrentHashMap<String, Long> verifiedUntil = new ConcurrentHashMap<>();

    VerifiedCredentials() {
        new SecureRandom().nextBytes(salt);
    }

    String key(String user, byte[] password, String hash) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        sha.update(salt);
        sha.update(user.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(password);
        sha.update((byte) 0);
        sha.update(hash.getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha.digest());
    }

    boolean contains(String key, long now) {
        Long until = verifiedUntil.get(key);
        if (until == null) {
            return false;
        }
        if (now - until > 0) {
            verifiedUntil.remove(key, until);
            return false;
        }
        return true;
    }

    void add(String key, long now) {
        if (verifiedUntil.size() >= MAX_ENTRIES) {
            verifiedUntil.clear();
        }
        verifiedUntil.put(key, now + TTL_NANOS);
    }
}
