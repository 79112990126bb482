package dev.gateway.proxy;

import dev.gateway.balancer.Selection;
import dev.gateway.config.UpstreamConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What the gateway changes on a target's response head before the client sees it, in this order:
 * its {@code Via} (RFC 9110 §7.6.3), the route's {@code response_headers} (variables filled in for
 * this exchange and target), then the sticky cookie, so that no rule can drop the pin.
 */
final class ResponseHeadRules {

    private ResponseHeadRules() {
    }

    /**
     * @param received the protocol version the target answered with
     * @param clientHost the client's {@code Host} ({@code ${host}})
     * @param requestHeaders the headers sent to the target ({@code ${header.NAME}})
     */
    static void apply(HttpResponse response, HttpVersion received, ProxyRoute route, Selection selection,
                      Downstream client, String clientHost, HttpHeaders requestHeaders) {
        HttpHeaders headers = response.headers();
        if (route.pool().config().protocol() == UpstreamConfig.Protocol.HTTP1) {
            ViaHeader.append(headers, received, route.via());
        } else { // the stream codec presents HTTP/2 responses as HTTP/1.1 messages
            ViaHeader.append(headers, "2", route.via());
        }
        HeaderRewrite rewrite = route.responseRewrite();
        rewrite.apply(headers, rewrite.hasVariables()
                ? new ExchangeValues(client, clientHost, route.name(), selection.target().url(), requestHeaders) : null);
        String setCookie = selection.setCookie();
        if (setCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, setCookie);
        }
    }
}
