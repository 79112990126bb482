package dev.gateway.core.middleware;

import dev.gateway.config.CorsConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A route's CORS policy (Fetch standard, "CORS protocol"), answered by the gateway itself:
 * preflights never reach the target, and the {@code Access-Control-*} headers of every response on
 * the route are the gateway's (a target's own are replaced). Origins are compared exactly, as the
 * browser serializes them: {@code https://example.com.evil.net} is not {@code https://example.com}.
 */
public final class Cors {

    private static final Set<String> SAFELISTED_METHODS = Set.of("GET", "HEAD", "POST");

    private final CorsConfig config;
    private final Set<String> methods;
    private final Set<String> headers;
    private final boolean anyHeader;
    private final String allowMethods;
    private final String allowHeaders;
    private final String expose;
    private final String maxAge;

    public Cors(CorsConfig config) {
        this.config = config;
        this.methods = Set.copyOf(config.methods());
        this.anyHeader = config.headers().contains("*");
        this.headers = new HashSet<>(config.headers());
        this.allowMethods = String.join(", ", config.methods());
        this.allowHeaders = anyHeader ? null : String.join(", ", config.headers());
        this.expose = String.join(", ", config.expose());
        this.maxAge = Long.toString(config.maxAge().toSeconds());
    }

    /** An {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}: a CORS preflight. */
    public static boolean isPreflight(HttpRequest request) {
        return request.method().equals(HttpMethod.OPTIONS) && request.headers().contains(HttpHeaderNames.ORIGIN)
                && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
    }

    /** True when {@code origin} (the request's {@code Origin}, or null) may read responses. */
    public boolean allows(String origin) {
        return origin != null && (config.anyOrigin() || config.origins().contains(origin));
    }

    /**
     * Whether a preflight asks for what the policy grants: an allowed origin, a listed (or
     * CORS-safelisted) method, and only listed request headers.
     */
    public boolean grants(HttpHeaders request) {
        if (!allows(request.get(HttpHeaderNames.ORIGIN))) {
            return false;
        }
        String method = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD).trim();
        if (!methods.contains(method) && !SAFELISTED_METHODS.contains(method)) {
            return false;
        }
        String asked = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked == null) {
            return true;
        }
        for (String name : asked.split(",")) {
            String header = name.trim().toLowerCase(Locale.ROOT);
            if (header.isEmpty()) {
                continue;
            }
            if (anyHeader ? !isToken(header) : !headers.contains(header)) {
                return false; // with "*" the list is echoed back, so it must hold nothing but header names
            }
        }
        return true;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && Character.isLetterOrDigit(c)) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The headers of a granted preflight's {@code 204}. */
    public void preflightHeaders(HttpHeaders request, HttpHeaders response) {
        String origin = request.get(HttpHeaderNames.ORIGIN);
        allowOrigin(response, origin);
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
        String asked = request.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        if (anyHeader && asked != null) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked); // only tokens got here: grants() read them
        } else if (allowHeaders != null && !allowHeaders.isEmpty()) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, maxAge);
        response.add(HttpHeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    /**
     * Every response of the route: the target's {@code Access-Control-*} headers give way to the
     * policy's; an allowed origin gets {@code Access-Control-Allow-Origin} (and credentials and
     * exposed headers as configured); {@code Vary: Origin} unless any origin gets the same answer.
     *
     * @param origin the request's {@code Origin}, or null
     */
    public void responseHeaders(String origin, HttpHeaders response) {
        response.remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
        response.remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS);
        response.remove(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS);
        if (!config.anyOrigin()) {
            response.add(HttpHeaderNames.VARY, "Origin");
        }
        if (!allows(origin)) {
            return;
        }
        allowOrigin(response, origin);
        if (!expose.isEmpty()) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, expose);
        }
    }

    private void allowOrigin(HttpHeaders response, String origin) {
        if (config.anyOrigin()) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*"); // never with credentials: refused at load
            return;
        }
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (config.credentials()) {
            response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }
}
