package dev.gateway.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code basic_auth}: HTTP Basic authentication (RFC 7617) against an htpasswd file of bcrypt hashes.
 * The file is read with the configuration, so a reload picks up its changes.
 *
 * @param users the htpasswd file, absolute
 * @param realm the realm named in {@code WWW-Authenticate}
 * @param forwardAuthorization keep the client's {@code Authorization} header on the forwarded request
 * @param hashes bcrypt hash per user name, as read from {@code users}
 */
public record BasicAuthConfig(Path users, String realm, boolean forwardAuthorization, Map<String, String> hashes) {

    public BasicAuthConfig {
        hashes = Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    }

    /** Never prints the hashes. */
    @Override
    public String toString() {
        return "BasicAuthConfig[users=" + users + ", realm=" + realm + ", forwardAuthorization=" + forwardAuthorization
                + ", " + hashes.size() + " users]";
    }
}
