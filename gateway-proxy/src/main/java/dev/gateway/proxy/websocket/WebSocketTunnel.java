package dev.gateway.proxy.websocket;

import dev.gateway.proxy.timer.Deadline;
import dev.gateway.proxy.upstream.UpstreamPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * A WebSocket connection after its {@code 101}: the client connection and a fresh target connection
 * (on the same event loop) relay raw bytes both ways, whatever the subprotocol and extensions, until
 * either side closes or nothing moves for {@code websocket_idle_timeout}. The gateway never parses
 * frames, as nginx, HAProxy and Envoy do not. Not thread-safe: everything runs on the shared loop.
 */
public final class WebSocketTunnel {

    /**
     * Name of the {@link TunnelEnd} in both pipelines once they are a tunnel: it replaces the last
     * HTTP handler of the client's pipeline and of the target's.
     */
    public static final String RELAY = "relay";

    private final TunnelEnd clientEnd;
    private final TunnelEnd targetEnd;
    private final long idleNanos;
    private final Deadline idle;
    private final WebSocketMetrics.Counts routeCounts;
    private final WebSocketMetrics.Counts targetCounts;
    /** ends the target's count of this connection as an active request */
    private final Runnable onClose;
    private long bytesFromClient;
    private long bytesToClient;
    private boolean closed;

    public WebSocketTunnel(Channel client, Channel target, long idleNanos,
                    WebSocketMetrics.Counts routeCounts, WebSocketMetrics.Counts targetCounts, Runnable onClose) {
        this.clientEnd = new TunnelEnd(this, client);
        this.targetEnd = new TunnelEnd(this, target);
        clientEnd.pairWith(targetEnd);
        targetEnd.pairWith(clientEnd);
        this.idleNanos = idleNanos;
        this.idle = new Deadline(target.eventLoop(), this::idleExpired);
        this.routeCounts = routeCounts;
        this.targetCounts = targetCounts;
        this.onClose = onClose;
        // Counted before the 101 is written, so a client that has its 101 sees the WebSocket counted.
        routeCounts.connectionOpened();
        targetCounts.connectionOpened();
    }

    /** The end to put last in the client's pipeline, in place of its HTTP handlers (named {@link #RELAY}). */
    public ChannelHandler clientEnd() {
        return clientEnd;
    }

    /**
     * Turns the target connection into its end of the tunnel and lets bytes flow, once the 101 was
     * written to the client and the client's pipeline holds {@link #clientEnd()} in place of its
     * HTTP handlers.
     */
    public void open() {
        ChannelPipeline target = targetEnd.channel().pipeline();
        target.replace(UpstreamPipeline.HANDLER, RELAY, targetEnd);
        target.remove(UpstreamPipeline.HTTP_CODEC);
        if (!clientEnd.channel().isActive() || !targetEnd.channel().isActive()) {
            closed(); // one side left while we were switching: no close event will come for it
            return;
        }
        armIdle();
        clientEnd.start();
        targetEnd.start();
    }

    /** Bytes read from the client so far (WebSocket frames as they came). */
    public long bytesFromClient() {
        return bytesFromClient;
    }

    /** Bytes read from the target so far, to be written to the client. */
    public long bytesToClient() {
        return bytesToClient;
    }

    void relayed(TunnelEnd from, int bytes) {
        armIdle();
        boolean fromClient = from == clientEnd;
        if (fromClient) {
            bytesFromClient += bytes;
        } else {
            bytesToClient += bytes;
        }
        routeCounts.relayed(fromClient, bytes);
        targetCounts.relayed(fromClient, bytes);
    }

    /** One side sent FIN: the other side gets it too; once both did, the tunnel is done. */
    void inputShutdown(TunnelEnd end) {
        TunnelEnd other = end == clientEnd ? targetEnd : clientEnd;
        if (other.inputShut()) {
            closed();
            return;
        }
        other.shutdownOutputAfterWrites();
    }

    /** Either connection closed (or must): the other one follows once what it was sent is written. */
    void closed() {
        if (closed) {
            return;
        }
        closed = true;
        idle.cancel(); // an hour-long idle check must not keep a closed tunnel reachable
        routeCounts.connectionClosed();
        targetCounts.connectionClosed();
        onClose.run();
        clientEnd.closeAfterWrites();
        targetEnd.closeAfterWrites();
    }

    private void armIdle() {
        if (idleNanos > 0) {
            idle.arm(idleNanos); // only moves a field: the pending check re-schedules itself
        }
    }

    private void idleExpired() {
        clientEnd.channel().close();
        targetEnd.channel().close();
    }
}
