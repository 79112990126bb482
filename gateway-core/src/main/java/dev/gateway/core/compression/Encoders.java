package dev.gateway.core.compression;

import com.aayushatharva.brotli4j.encoder.Encoder;
import dev.gateway.config.ContentCoding;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliEncoder;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import io.netty.handler.codec.compression.Zstd;
import io.netty.handler.codec.compression.ZstdEncoder;

/**
 * Netty's encoders, one per compressed response, each in an {@link EmbeddedChannel} the way Netty's
 * own {@code HttpContentCompressor} drives them: gzip on the JDK's {@code Deflater} (a sync flush
 * per batch, so a stream never waits for the end of the body), brotli on brotli4j, zstd on
 * zstd-jni. The codecs are the libraries'; nothing here compresses by itself.
 */
final class Encoders {

    /** Brotli's window: 512 KiB (lgwin 19), nginx's brotli_window default; bounds its memory per response. */
    private static final int BROTLI_WINDOW = 19;
    /** zstd compresses each batch as a frame; a block as large as the batch keeps the ratio. */
    private static final int ZSTD_BLOCK = 64 * 1024;
    private static final int ZSTD_MAX_ENCODE = 4 * 1024 * 1024;

    private Encoders() {
    }

    /** Whether the native library behind {@code coding} loaded on this machine (gzip always does). */
    static boolean available(ContentCoding coding) {
        switch (coding) {
            case BR:
                return Brotli.isAvailable();
            case ZSTD:
                return Zstd.isAvailable();
            default:
                return true;
        }
    }

    /** A fresh encoder for one response body, sharing the client channel's allocator. */
    static EmbeddedChannel open(ContentCoding coding, int level, Channel client) {
        return EmbeddedChannel.builder()
                .channelId(client.id())
                .hasDisconnect(client.metadata().hasDisconnect())
                .config(client.config())
                .handlers(encoder(coding, level))
                .build();
    }

    private static ChannelHandler encoder(ContentCoding coding, int level) {
        switch (coding) {
            case BR:
                return new BrotliEncoder(new Encoder.Parameters().setQuality(level).setWindow(BROTLI_WINDOW), false);
            case ZSTD:
                return new ZstdEncoder(level, ZSTD_BLOCK, ZSTD_MAX_ENCODE);
            default:
                return ZlibCodecFactory.newZlibEncoder(ZlibWrapper.GZIP, level);
        }
    }
}
