package dev.gateway.core.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user and password of an {@code Authorization: Basic} header (RFC 7617 §2): the scheme
 * matched case-insensitively, the token strict base64 of UTF-8 {@code user:password} (§2.1),
 * split at the first colon. Anything else is no credentials at all.
 */
record BasicCredentials(String user, byte[] password) {

    private static final String SCHEME = "basic";
    /** Far above any sane user:password, far below the header limits; longer is refused unread. */
    private static final int MAX_TOKEN = 1024;

    static BasicCredentials parse(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length() + 2
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        String token = authorization.substring(SCHEME.length() + 1).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return null;
        }
        String user;
        try {
            user = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded, 0, colon)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        byte[] password = new byte[decoded.length - colon - 1];
        System.arraycopy(decoded, colon + 1, password, 0, password.length);
        return new BasicCredentials(user, password);
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + "]";
    }

}
