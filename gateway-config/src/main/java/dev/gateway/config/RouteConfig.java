package dev.gateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code [[routes]]} entry.
 *
 * @param name used in logs and metrics; derived from the path when not given
 * @param path "/exact", "/users/:id", "/prefix/*" or "/*"
 * @param host exact host or "*.example.com"; empty matches any host
 * @param methods upper-case methods; empty allows all
 * @param rewrite path template using the route's :params, e.g. "/v2/users/{id}"
 * @param timeout first response byte must arrive within this (504 beyond)
 * @param retries extra attempts for idempotent requests
 * @param middleware compression, access control, authentication and CORS of the route
 */
public record RouteConfig(
        String name,
        String path,
        Optional<String> host,
        Set<String> methods,
        RouteAction action,
        boolean stripPrefix,
        Optional<String> rewrite,
        boolean preserveHost,
        Duration timeout,
        int retries,
        boolean websocket,
        Duration websocketIdleTimeout,
        HeaderRules requestHeaders,
        HeaderRules responseHeaders,
        Optional<RateLimitConfig> rateLimit,
        MiddlewareConfig middleware) {

    public RouteConfig {
        methods = Set.copyOf(methods);
    }

    /** A route without middleware. */
    public RouteConfig(String name, String path, Optional<String> host, Set<String> methods, RouteAction action,
                       boolean stripPrefix, Optional<String> rewrite, boolean preserveHost, Duration timeout,
                       int retries, boolean websocket, Duration websocketIdleTimeout, HeaderRules requestHeaders,
                       HeaderRules responseHeaders, Optional<RateLimitConfig> rateLimit) {
        this(name, path, host, methods, action, stripPrefix, rewrite, preserveHost, timeout, retries, websocket,
                websocketIdleTimeout, requestHeaders, responseHeaders, rateLimit, MiddlewareConfig.NONE);
    }
}
