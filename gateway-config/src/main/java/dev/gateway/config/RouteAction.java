package dev.gateway.config;

/** What a route does with a matched request: exactly one of these per route. */
public sealed interface RouteAction {

    /** Forward to a pool; inline {@code targets} are an upstream named {@code route:<name>}. */
    record Proxy(String upstream) implements RouteAction {
    }

    /** Serve files from a directory; the part of the path after the route's prefix resolves inside it. */
    record Static(StaticSiteConfig site) implements RouteAction {
    }

    /**
     * Answer with a redirect. The location is used as given; when the route's path ends in {@code /*}
     * and the location ends in {@code /}, the rest of the path is appended (like nginx's
     * {@code return 301 https://x$request_uri}). The query string is always kept.
     */
    record Redirect(String location, int status) implements RouteAction {
    }
}
