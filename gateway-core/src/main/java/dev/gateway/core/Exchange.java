package dev.gateway.core;

/**
 * One request/response on a client connection: what the access log needs, and the two halves that
 * must both be finished (request fully read, response fully written) before the connection can
 * take its next request.
 */
final class Exchange {

    final String requestId;
    final String method;
    final String uri;
    final String protocol;
    final String clientIp;
    final String userAgent;
    final String referer;
    final long startNanos;
    String route = "-";
    /** The proxy call consuming the request body, while there is one. */
    dev.gateway.proxy.ProxyCall call;
    String target;
    long upstreamNanos = -1;
    int status;
    long bytesIn;
    long bytesOut;
    boolean keepAlive;
    boolean responseStarted;
    boolean responseDone;
    boolean requestDone;

    Exchange(String requestId, String method, String uri, String protocol, String clientIp,
             String userAgent, String referer, long startNanos, boolean keepAlive) {
        this.requestId = requestId;
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.referer = referer;
        this.startNanos = startNanos;
        this.keepAlive = keepAlive;
    }
}
