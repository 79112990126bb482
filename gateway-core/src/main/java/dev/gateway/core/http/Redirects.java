package dev.gateway.core.http;

import dev.gateway.config.RouteAction;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.routing.PathPattern;
import dev.gateway.core.routing.RequestPath;
import dev.gateway.staticfiles.LocationEncoding;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Responses of {@code redirect} routes. */
final class Redirects {

    private Redirects() {
    }

    /**
     * The location as configured; for a prefix route whose location ends in '/', the rest of the
     * request path is appended ({@code /old/* -> https://new.example.com/} keeps {@code /old/a/b} as
     * {@code /a/b}). The request's query string is added unless the location has its own (before the
 * location's fragment, if it has one).
     * What comes from the request is percent-encoded where a path or query may not hold it, and
     * the rest's leading slashes collapse into the location's own, so {@code /old//evil.example}
     * never becomes {@code //evil.example} (a network path, RFC 3986 §4.2).
     */
    static FullHttpResponse response(RouteAction.Redirect redirect, PathPattern pattern, RequestPath path,
                                     String remainder, String requestId) {
        String location = redirect.location();
        if (pattern.isPrefix() && location.endsWith("/") && !remainder.isEmpty()) {
            location = location + LocationEncoding.path(remainder).substring(1);
        }
        if (path.query() != null && location.indexOf('?') < 0) {
            // before a fragment of the location, where a query belongs (RFC 3986 §3)
            int hash = location.indexOf('#');
            String query = "?" + LocationEncoding.query(path.query());
            location = hash < 0 ? location + query : location.substring(0, hash) + query + location.substring(hash);
        }
        FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.valueOf(redirect.status()), requestId);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }
}
