package dev.gateway.proxy.upstream;

/**
 * The channels one event loop uses to reach one target: HTTP/1.1 keep-alive connections
 * ({@link Http1Connections}) or HTTP/2 streams multiplexed over a few connections
 * ({@link Http2Connections}). Touched only on that event loop.
 */
public interface UpstreamConnections {

    /** Who waits for a channel. Called on the event loop, possibly before {@link #acquire} returns. */
    interface Acquirer {

        /**
         * @param reused true when the channel's connection served requests before (it may have
         *               been closed by the target while it sat idle)
         */
        void acquired(UpstreamHandler channel, boolean reused);

        void failed(Throwable cause);
    }

    /**
     * A channel for one request: a reused connection unless {@code fresh}, else a new one; with
     * HTTP/2 a new stream on a connection that has room, or on a new connection.
     */
    void acquire(boolean fresh, Acquirer acquirer);

    /** Takes back a channel whose request ended cleanly: kept for the next one where that is possible. */
    void release(UpstreamHandler channel);

    /** Forgets a channel that closed. */
    void remove(UpstreamHandler channel);

    /** The target's pool was replaced by a reload: idle connections close now, busy ones when done. */
    void retire();

    /** Closes what is idle (on shutdown). */
    void closeAll();
}
