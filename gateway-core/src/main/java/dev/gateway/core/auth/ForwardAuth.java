package dev.gateway.core.auth;

import dev.gateway.balancer.Pool;
import dev.gateway.config.ForwardAuthConfig;
import dev.gateway.proxy.Downstream;
import dev.gateway.proxy.Forwarder;
import dev.gateway.proxy.Subrequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forward_auth}, like Traefik's ForwardAuth and nginx's {@code auth_request}: before the
 * action, a {@code GET} with the request's credentials ({@code copy_request_headers}) and what it
 * asks for ({@code X-Forwarded-Method}, {@code -Proto}, {@code -Host}, {@code -Uri}, {@code -For})
 * goes to the auth service over the proxy's pooled connections. A 2xx lets the request through
 * with the service's {@code copy_response_headers} set on it; the client's own headers of those
 * names are removed first, whatever the service answers, so a client cannot claim an identity the
 * service did not give. Any other answer is relayed to the client as it is (a 401 with its
 * challenge, a 302 to a login page). A service that is down, silent past {@code timeout} or
 * unintelligible is a 503, never an open door.
 */
public final class ForwardAuth implements Authenticator {

    private static final Logger log = LoggerFactory.getLogger(ForwardAuth.class);
    /** An auth answer's body is held whole to relay it; a larger one is the service misbehaving. */
    static final int MAX_BODY = 64 * 1024;

    private final ForwardAuthConfig config;
    private final Pool pool;
    private final long timeoutNanos;

    public ForwardAuth(ForwardAuthConfig config, Pool pool) {
        this.config = config;
        this.pool = pool;
        this.timeoutNanos = config.timeout().toNanos();
    }

    @Override
    public void authenticate(HttpRequest request, Downstream client, Forwarder forwarder, Verdict verdict) {
        HttpHeaders headers = request.headers();
        HttpHeaders sub = new DefaultHttpHeaders();
        for (String name : config.copyRequestHeaders()) {
            List<String> values = headers.getAll(name);
            if (!values.isEmpty()) {
                sub.set(name, values);
            }
        }
        sub.set(HttpHeaderNames.HOST, config.target().authority());
        sub.set("X-Forwarded-Method", request.method().name());
        sub.set("X-Forwarded-Proto", client.secure() ? "https" : "http");
        String host = headers.get(HttpHeaderNames.HOST);
        if (host != null) {
            sub.set("X-Forwarded-Host", host);
        }
        sub.set("X-Forwarded-Uri", request.uri());
        sub.set("X-Forwarded-For", client.clientIp());
        String requestId = headers.get("X-Request-Id");
        if (requestId != null) {
            sub.set("X-Request-Id", requestId);
        }
        for (String name : config.copyResponseHeaders()) {
            headers.remove(name); // only the service may set these
        }
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, config.requestTarget(), sub);
        Subrequest.send(forwarder, client.context().channel().eventLoop(), pool, head, client.clientIp(), timeoutNanos,
                MAX_BODY, new Subrequest.Callback() {
                    @Override
                    public void answered(FullHttpResponse answer) {
                        if (answer.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.SUCCESS) {
                            for (String name : config.copyResponseHeaders()) {
                                List<String> values = answer.headers().getAll(name);
                                if (!values.isEmpty()) {
                                    headers.set(name, values);
                                }
                            }
                            answer.release();
                            verdict.admit();
                        } else {
                            verdict.refuse(answer);
                        }
                    }

                    @Override
                    public void failed(String why) {
                        log.warn("forward_auth {} failed for request {}: {}", config.url(), requestId, why);
                        FullHttpResponse unavailable = client.error(HttpResponseStatus.SERVICE_UNAVAILABLE);
                        unavailable.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                        verdict.refuse(unavailable);
                    }
                });
    }
}
