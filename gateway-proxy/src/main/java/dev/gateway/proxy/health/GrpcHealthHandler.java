package dev.gateway.proxy.health;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.HealthCheckConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * {@code type = "grpc"}: one unary call of the standard health service,
 * {@code grpc.health.v1.Health/Check} with {@code service}, on an HTTP/2 stream. It passes when the
 * call succeeds ({@code grpc-status: 0}) and the answer is {@code SERVING}. The two messages are
 * tiny protobufs, written and read here by hand rather than through a protobuf runtime:
 * {@code HealthCheckRequest { string service = 1; }} and
 * {@code HealthCheckResponse { ServingStatus status = 1; }}, in gRPC's length-prefixed framing.
 */
final class GrpcHealthHandler extends ChannelInboundHandlerAdapter {

    static final String PATH = "/grpc.health.v1.Health/Check";
    private static final String[] STATUSES = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};

    private final Target target;
    private final HealthCheckConfig config;
    private final UpstreamHealthProbe.Check check;
    private final ByteBuf body = Unpooled.buffer();
    private HttpHeaders headers;

    GrpcHealthHandler(Target target, HealthCheckConfig config, UpstreamHealthProbe.Check check) {
        this.target = target;
        this.config = config;
        this.check = check;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, PATH,
                Unpooled.wrappedBuffer(requestMessage(config.service())));
        request.headers()
                .set(HttpHeaderNames.HOST, target.config().authority())
                .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                .set(HttpHeaderNames.TE, "trailers")
                .set(HttpHeaderNames.USER_AGENT, "gateway-health-check")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response) {
                if (response.status().code() != 200) {
                    check.fail("status " + response.status().code() + " (expected: 200 for a gRPC call)");
                    return;
                }
                headers = response.headers();
            }
            if (msg instanceof HttpContent content) {
                body.writeBytes(content.content());
            }
            if (msg instanceof LastHttpContent last) {
                finished(last.trailingHeaders());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** grpc-status in the trailers, or in the headers of a trailers-only answer. */
    private void finished(HttpHeaders trailers) {
        String status = trailers.get("grpc-status", headers == null ? null : headers.get("grpc-status"));
        if (status == null) {
            check.fail("no grpc-status in the answer");
        } else if (!"0".equals(status)) {
            String message = trailers.get("grpc-message", headers == null ? "" : headers.get("grpc-message", ""));
            check.fail("grpc-status " + status + (message.isEmpty() ? "" : ": " + message));
        } else {
            int serving = servingStatus(body);
            String name = serving >= 0 && serving < STATUSES.length ? STATUSES[serving] : "status " + serving;
            if (serving == 1) {
                check.pass(name);
            } else {
                check.fail(name + (config.service().isEmpty() ? "" : " (service " + config.service() + ")"));
            }
        }
    }

    /** A gRPC message frame (RFC-less but stable: not compressed, 4-byte length) holding HealthCheckRequest. */
    static byte[] requestMessage(String service) {
        byte[] name = service.getBytes(StandardCharsets.UTF_8);
        byte[] message = name.length == 0 ? new byte[0] : concat(new byte[] {0x0A}, varint(name.length), name);
        return concat(new byte[] {0, (byte) (message.length >>> 24), (byte) (message.length >>> 16),
            (byte) (message.length >>> 8), (byte) message.length}, message);
    }

    /** The {@code status} field of the HealthCheckResponse framed in {@code frame}; 0 (UNKNOWN) when absent. */
    static int servingStatus(ByteBuf frame) {
        if (frame.readableBytes() < 5) {
            return -1;
        }
        int length = frame.getInt(frame.readerIndex() + 1);
        int at = frame.readerIndex() + 5;
        int end = Math.min(frame.writerIndex(), at + length);
        while (at < end) {
            int tag = frame.getByte(at++) & 0xff;
            long value = 0;
            for (int shift = 0; at < end; shift += 7) {
                byte b = frame.getByte(at++);
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
            }
            if (tag == 0x08) {
                return (int) value;
            }
            if ((tag & 7) == 2) {
                at += (int) value; // a length-delimited field this check does not know: skip it
            }
        }
        return 0;
    }

    private static byte[] varint(int value) {
        byte[] out = new byte[5];
        int n = 0;
        while ((value & ~0x7f) != 0) {
            out[n++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out[n++] = (byte) value;
        return java.util.Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        body.release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        check.fail("stream closed before an answer");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        check.fail(UpstreamHealthProbe.describe(cause));
    }
}
