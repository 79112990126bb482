package dev.gateway.staticfiles;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Writes a response head and a {@link BodyPlan} read from an open file.
 *
 * <p>Without TLS the file slices go out as {@code FileRegion}s: the kernel copies file pages
 * straight to the socket ({@code sendfile}). With an {@link SslHandler} in the pipeline, or on an
 * HTTP/2 stream, the bytes must pass through user space, so they are read in chunks by the pipeline's
 * {@code ChunkedWriteHandler}, which only reads the next chunk when the socket is writable and
 * so keeps memory per download bounded.
 */
final class BodyWriter {

    private BodyWriter() {
    }

    /**
     * Writes {@code head}, the body and the final {@link LastHttpContent}; takes ownership of
     * {@code channel}, which is closed once the last slice has been written or dropped.
     *
     * @param bytes the body will be re-encoded on its way out: send chunks, never a FileRegion
     *
     * @return the future of the last write
     */
    static ChannelFuture write(ChannelHandlerContext ctx, HttpResponse head, FileChannel channel, BodyPlan plan,
                               boolean bytes) {
        // sendfile needs a plain socket: not under TLS, nor on an HTTP/2 stream (a child channel)
        boolean encrypted = bytes || !(ctx.channel() instanceof DuplexChannel)
                || ctx.pipeline().get(SslHandler.class) != null;
        SharedFile file = new SharedFile(channel);
        try {
            ctx.write(head);
            for (BodyPlan.Segment segment : plan.segments()) {
                if (segment.preamble().length > 0) {
                    ctx.write(Unpooled.wrappedBuffer(segment.preamble()));
                }
                if (segment.length() > 0) {
                    ctx.write(encrypted
                            ? file.chunks(segment.position(), segment.length())
                            : file.region(segment.position(), segment.length()));
                }
            }
            LastHttpContent last = plan.epilogue().length == 0
                    ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(Unpooled.wrappedBuffer(plan.epilogue()));
            return ctx.writeAndFlush(last);
        } catch (IOException e) {
            // only if the channel was closed under us; the head may be out, so end the connection
            ctx.flush();
            return ctx.close();
        } finally {
            file.release();
        }
    }
}
