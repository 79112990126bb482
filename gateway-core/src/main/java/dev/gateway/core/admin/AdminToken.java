package dev.gateway.core.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may call {@code POST /reload}: with {@code [admin] token} set, only a request carrying
 * {@code Authorization: Bearer <token>}; without one, anybody who can reach a loopback-bound admin
 * listener, and nobody when it is bound elsewhere (an open reload endpoint on a network interface
 * is a configuration mistake, so it is refused rather than guessed at).
 */
final class AdminToken {

    private static final String BEARER = "Bearer ";

    private AdminToken() {
    }

    /** Null when allowed, else the status to answer: 401 (token missing or wrong) or 403 (no token on a non-loopback listener). */
    static HttpResponseStatus check(HttpHeaders headers, Optional<String> token, boolean loopback) {
        if (token.isEmpty()) {
            return loopback ? null : HttpResponseStatus.FORBIDDEN;
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return HttpResponseStatus.UNAUTHORIZED;
        }
        String presented = authorization.substring(BEARER.length()).trim();
        return sameSecret(presented, token.get()) ? null : HttpResponseStatus.UNAUTHORIZED;
    }

    /** Compares digests, so the time taken tells nothing about the token, not even its length. */
    private static boolean sameSecret(String presented, String expected) {
        return MessageDigest.isEqual(digest(presented), digest(expected));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
