package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpContent;

/** A request being forwarded; the server core feeds it what happens on the client side. */
public interface ProxyCall {

    /** A piece of the request body, asked for with {@link ClientChannel#read()}; ownership passes to the call. */
    void onRequestContent(HttpContent content);

    /** The client connection's writability changed (backpressure for the response). */
    void onClientWritabilityChanged();

    /** The client connection closed; the call releases what it holds. */
    void onClientClosed();
}
