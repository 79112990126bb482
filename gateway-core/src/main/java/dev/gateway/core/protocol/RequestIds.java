package dev.gateway.core.protocol;

import dev.gateway.core.tracing.TraceIds;
import io.netty.util.AsciiString;

/**
 * X-Request-Id handling: a client's id is kept when it is a sane token (so traces can be joined
 * across hops), anything else is replaced with a fresh random one.
 */
public final class RequestIds {

    public static final AsciiString HEADER = AsciiString.cached("x-request-id");
    private static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** Returns the client's id if acceptable, else a new one. */
    public static String acceptOrGenerate(String clientId) {
        return isSane(clientId) ? clientId : generate();
    }

    static boolean isSane(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '=' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** 128 random bits as 32 hex digits; not a secret, so a fast non-cryptographic source is fine. */
    public static String generate() {
        return TraceIds.randomTraceId();
    }
}
