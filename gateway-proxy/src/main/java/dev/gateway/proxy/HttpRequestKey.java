package dev.gateway.proxy;

import dev.gateway.balancer.strategy.RequestKey;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

/** A request seen by hash-based strategies; cookies are parsed only if a strategy asks for one. */
final class HttpRequestKey implements RequestKey {

    private final String clientIp;
    private final String path;
    private final HttpHeaders headers;

    HttpRequestKey(String clientIp, String path, HttpHeaders headers) {
        this.clientIp = clientIp;
        this.path = path;
        this.headers = headers;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String cookie(String name) {
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                if (cookie.name().equals(name)) {
                    return cookie.value();
                }
            }
        }
        return null;
    }
}
