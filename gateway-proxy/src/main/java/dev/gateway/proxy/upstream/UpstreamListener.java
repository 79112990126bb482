package dev.gateway.proxy.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * What an upstream connection tells the exchange using it. Called on the connection's event loop;
 * only the listener currently attached to the connection hears anything.
 */
public interface UpstreamListener {

    /** A response head, or an interim (1xx) one; check its decoder result. */
    void onResponseHead(HttpResponse response);

    /** A piece of the response body; ownership passes to the listener. */
    void onResponseContent(HttpContent content);

    /** The end of one socket read: a good moment to flush what was relayed. */
    void onReadComplete();

    /** The connection's writability changed (backpressure for the request body). */
    void onWritabilityChanged();

    /** The connection closed (by the target, or after an error). */
    void onClosed();

    /** The connection failed; it is closed right after. */
    void onError(Throwable cause);

    /** The connection's {@link UpstreamHandler#deadline()} expired. */
    void onDeadline();
}
