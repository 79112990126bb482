package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaders;

/** The values of header variables for one exchange; made only for routes whose rules have variables. */
final class ExchangeValues implements HeaderRewrite.Values {

    private final Downstream client;
    private final String host;
    private final String route;
    private final String target;
    private final HttpHeaders requestHeaders;

    ExchangeValues(Downstream client, String host, String route, String target, HttpHeaders requestHeaders) {
        this.client = client;
        this.host = host;
        this.route = route;
        this.target = target;
        this.requestHeaders = requestHeaders;
    }

    @Override
    public String clientIp() {
        return client.clientIp();
    }

    @Override
    public String requestId() {
        return client.requestId();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String tlsClientSubject() {
        return client.tlsClientSubject();
    }

    @Override
    public String header(String name) {
        return requestHeaders.get(name);
    }
}
