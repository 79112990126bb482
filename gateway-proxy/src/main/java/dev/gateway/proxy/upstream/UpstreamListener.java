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

    /**
     * The connection (or HTTP/2 stream) closed, by the target or after an error.
     *
     * @param refused true when the target said it did not process the request: an HTTP/2 stream
     *                reset with REFUSED_STREAM, or beyond the last stream of a GOAWAY (RFC 9113
     *                §8.7); such a request can be retried whatever its method
     */
    void onClosed(boolean refused);

    /** The connection failed; it is closed right after. */
    void onError(Throwable cause);

    /** The connection's {@link UpstreamHandler#deadline()} expired. */
    void onDeadline();
}
