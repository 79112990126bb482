package dev.gateway.core.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Session ticket keys (RFC 5077, RFC 8446 §4.6.1) shared by every OpenSSL server context, so a
 * session resumes across SNI certificates and across certificate rotations. A new key is made every
 * {@link #ROTATION}; the newest encrypts, the previous one still decrypts, so a ticket lives at most
 * two rotations and a leaked key exposes little (forward secrecy of resumed sessions is bounded by
 * the rotation, RFC 8446 §2.2). The JDK engine makes and rotates its own stateless ticket keys.
 */
final class SessionTicketKeys {

    static final Duration ROTATION = Duration.ofHours(1);
    /** Sessions (TLS 1.2 cache entries and TLS 1.3 ticket lifetimes) are not resumed after this. */
    static final Duration SESSION_LIFETIME = ROTATION;

    private final SecureRandom random = new SecureRandom();
    private final Deque<OpenSslSessionTicketKey> keys = new ArrayDeque<>();

    SessionTicketKeys() {
        rotateKeys();
    }

    /** Gives a new context the current keys (OpenSSL only; a JDK context is left alone). */
    synchronized void install(SslContext context) {
        if (context.sessionContext() instanceof OpenSslSessionContext) {
            ((OpenSslSessionContext) context.sessionContext()).setTicketKeys(keys.toArray(new OpenSslSessionTicketKey[0]));
        }
    }

    /** Makes a new encryption key, keeps the previous one for decryption, and installs both in {@code contexts}. */
    synchronized void rotate(Collection<SslContext> contexts) {
        rotateKeys();
        contexts.forEach(this::install);
    }

    private void rotateKeys() {
        keys.addFirst(new OpenSslSessionTicketKey(bytes(OpenSslSessionTicketKey.NAME_SIZE),
                bytes(OpenSslSessionTicketKey.HMAC_KEY_SIZE), bytes(OpenSslSessionTicketKey.AES_KEY_SIZE)));
        while (keys.size() > 2) {
            keys.removeLast();
        }
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
