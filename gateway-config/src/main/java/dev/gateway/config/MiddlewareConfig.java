package dev.gateway.config;

import java.util.Optional;

/**
 * A route's middleware keys, applied in this order: access control ({@code allow}, {@code deny}),
 * then the rate limit, authentication ({@code basic_auth} or {@code forward_auth}), CORS, the
 * action; compression on the way out.
 *
 * @param compress {@code compress = true | false}; empty follows {@code [compression] enabled}
 * @param access the route's own lists; empty uses {@code [access]}
 */
public record MiddlewareConfig(Optional<Boolean> compress, Optional<AccessConfig> access,
                               Optional<BasicAuthConfig> basicAuth, Optional<ForwardAuthConfig> forwardAuth,
                               Optional<CorsConfig> cors) {

    public static final MiddlewareConfig NONE = new MiddlewareConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public MiddlewareConfig withForwardAuth(Optional<ForwardAuthConfig> forwardAuth) {
        return new MiddlewareConfig(compress, access, basicAuth, forwardAuth, cors);
    }
}
