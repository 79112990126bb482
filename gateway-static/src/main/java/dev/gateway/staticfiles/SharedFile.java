package dev.gateway.staticfiles;

import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * One open file shared by every slice of a response body, closed when the last slice is done.
 *
 * <p>Netty's {@link DefaultFileRegion} and {@link ChunkedNioFile} each close their channel when
 * released, which would end a multipart body after its first part. Here each slice holds a
 * reference instead, and the channel closes when the response writer and every slice have let
 * go: after a successful write, and equally after a failed one (Netty releases unwritten
 * regions and {@code ChunkedWriteHandler} closes unwritten inputs when the connection drops), so
 * a client that disconnects mid-download never leaks a file descriptor.
 */
final class SharedFile extends AbstractReferenceCounted {

    /** One TLS record's worth: the SSL engine would split a larger chunk anyway. */
    private static final int CHUNK_SIZE = 16 * 1024;

    private final FileChannel channel;

    SharedFile(FileChannel channel) {
        this.channel = channel;
    }

    /** A zero-copy slice ({@code sendfile}), for connections without TLS. */
    FileRegion region(long position, long length) {
        retain();
        return new DefaultFileRegion(channel, position, length) {
            @Override
            protected void deallocate() {
                SharedFile.this.release();
            }
        };
    }

    /** A slice read into buffers, for TLS, where the bytes must pass through the SSL engine. */
    ChunkedInput<?> chunks(long position, long length) throws IOException {
        ChunkedNioFile input = new ChunkedNioFile(channel, position, length, CHUNK_SIZE) {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    SharedFile.this.release();
                }
            }
        };
        retain();
        return input;
    }

    @Override
    protected void deallocate() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only file: nothing was lost, and there is nobody left to tell
        }
    }

    @Override
    public SharedFile touch(Object hint) {
        return this;
    }
}
