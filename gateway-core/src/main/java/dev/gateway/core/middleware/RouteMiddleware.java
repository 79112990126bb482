package dev.gateway.core.middleware;

import dev.gateway.core.auth.Authenticator;
import dev.gateway.core.compression.CompressionPolicy;

/**
 * What a route does around its action, compiled once per routing snapshot; each part is null when
 * the route does not use it, and a route that uses none has no {@code RouteMiddleware} at all (so
 * it pays one null check per request). Applied in this order: access control, the rate limit (kept
 * by the route), authentication, CORS, the action; compression on the way out.
 *
 * @param access allow/deny lists (the route's, else {@code [access]}), or null
 * @param authenticator basic_auth or forward_auth, or null
 * @param cors the CORS policy, or null
 * @param compression how responses are compressed, or null
 */
public record RouteMiddleware(AccessRules access, Authenticator authenticator, Cors cors,
                              CompressionPolicy compression) {

    /** The middleware, or null when every part is absent. */
    public static RouteMiddleware of(AccessRules access, Authenticator authenticator, Cors cors,
                                     CompressionPolicy compression) {
        if (access == null && authenticator == null && cors == null && compression == null) {
            return null;
        }
        return new RouteMiddleware(access, authenticator, cors, compression);
    }
}
