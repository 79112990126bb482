package dev.gateway.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/**
 * The client connection's HTTP/1 codec: Netty's {@code HttpServerCodec} with a strict request line.
 * Netty's decoder upper-cases the version and takes any {@code NAME/d.d}, so the check is made on
 * the raw token, before the request is built: exactly {@code HTTP/1.0} or {@code HTTP/1.1}
 * (case-sensitive, RFC 9112 §2.3); a higher HTTP/1 minor is served as HTTP/1.1 (RFC 9110 §2.5);
 * another {@code HTTP/d.d} fails the message with {@link UnsupportedHttpVersionException} (505),
 * anything else with an {@link IllegalArgumentException} (400). A failed message carries that cause
 * in its decoder result and the decoder discards the rest of the connection's bytes.
 *
 * <p>The encoder must know which request each response answers: a response to HEAD has no body
 * and a 2xx to CONNECT has no framing headers (RFC 9110 §9.3.2, §9.3.6). Like Netty's
 * {@code HttpServerCodec} (netty 4.2, codec-http, {@code enqueueMethod}/{@code pollMethod} and its
 * response encoder's {@code isContentAlwaysEmpty}/{@code sanitizeHeadersBeforeEncode}), the decoder
 * queues each request's method and the encoder takes one per final response; interim (1xx)
 * responses take none. The queue is short: the read gate stops reading while requests wait.
 */
public final class StrictHttpServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final String HTTP_1_1 = "HTTP/1.1";

    private final Queue<HttpMethod> methods = new ArrayDeque<>(4);

    public StrictHttpServerCodec(HttpDecoderConfig config) {
        init(new StrictRequestDecoder(config), new MethodAwareResponseEncoder());
    }

    /** The version the request is handled as, or an exception saying why it is not acceptable. */
    static String checkVersion(String token) {
        if (HTTP_1_1.equals(token) || HTTP_1_0.equals(token)) {
            return token;
        }
        boolean wellFormed = token.length() == 8 && token.startsWith("HTTP/") && isDigit(token.charAt(5))
                && token.charAt(6) == '.' && isDigit(token.charAt(7));
        if (!wellFormed) {
            throw new IllegalArgumentException("malformed HTTP version: " + token);
        }
        if (token.charAt(5) == '1') {
            return HTTP_1_1; // HTTP/1.2 and later minors: a 1.1 recipient handles them as 1.1
        }
        throw new UnsupportedHttpVersionException(token);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private final class StrictRequestDecoder extends HttpRequestDecoder {

        StrictRequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) throws Exception {
            initialLine[2] = checkVersion(initialLine[2]);
            return super.createMessage(initialLine);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest) {
                    methods.add(((HttpRequest) out.get(i)).method());
                }
            }
        }
    }

    private final class MethodAwareResponseEncoder extends HttpResponseEncoder {

        /** The method of the request the response being encoded answers. */
        private HttpMethod method;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // A 2xx to CONNECT turns the connection into a tunnel: no framing (RFC 9110 §9.3.6).
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
