package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.gateway.config.StaticSiteConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Netty server on port 0 serving a temporary directory through {@link StaticSite}, shaped
 * like the gateway's pipeline: [SslHandler] + HttpServerCodec + [ChunkedWriteHandler when TLS]
 * + a handler that calls {@code serve} and closes the connection when not keep-alive.
 * Register per test class with {@code @RegisterExtension static final StaticServer server = ...}.
 */
final class StaticServer implements BeforeAllCallback, AfterAllCallback {

    private String index = "index.html";
    private boolean spaFallback;
    private String cacheControl = "";
    private String mount = "";
    private boolean tls;
    private boolean rootViaSymlink;

    private Path base;
    private Path root;
    private EventLoopGroup group;
    private Channel serverChannel;
    private SslContext serverSsl;
    private SSLContext clientSsl;
    private HttpClient client;
    private final Queue<Throwable> serverErrors = new ConcurrentLinkedQueue<>();

    StaticServer index(String name) {
        this.index = name;
        return this;
    }

    StaticServer spaFallback() {
        this.spaFallback = true;
        return this;
    }

    StaticServer cacheControl(String value) {
        this.cacheControl = value;
        return this;
    }

    /** Serve the site under a route prefix, as a {@code /docs/*} route would. */
    StaticServer mountedAt(String prefix) {
        this.mount = prefix;
        return this;
    }

    /** Make the configured root a symlink to {@code releases/v1}, as atomic deploys do. */
    StaticServer rootViaSymlink() {
        this.rootViaSymlink = true;
        return this;
    }

    StaticServer tls() {
        this.tls = true;
        return this;
    }

    @Override
    @SuppressWarnings("deprecation") // SelfSignedCertificate: the replacement needs netty-pkitesting
    public void beforeAll(ExtensionContext context) throws Exception {
        base = Files.createTempDirectory("static-site-test");
        if (rootViaSymlink) {
            Path release = Files.createDirectories(base.resolve("releases/v1"));
            root = Files.createSymbolicLink(base.resolve("site"), release);
        } else {
            root = Files.createDirectory(base.resolve("site"));
        }
        if (tls) {
            SelfSignedCertificate certificate = new SelfSignedCertificate("localhost");
            serverSsl = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
            clientSsl = SSLContext.getInstance("TLS");
            clientSsl.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        }
        StaticSite site = new StaticSite(new StaticSiteConfig(root, index, spaFallback, cacheControl),
                StaticServer::jsonError);
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (serverSsl != null) {
                            p.addLast(serverSsl.newHandler(ch.alloc()));
                        }
                        p.addLast(new HttpServerCodec());
                        if (serverSsl != null) {
                            p.addLast(new ChunkedWriteHandler());
                        }
                        p.addLast(new ServeHandler(site));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (clientSsl != null) {
            builder.sslContext(clientSsl);
        }
        client = builder.build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (serverChannel != null) {
            serverChannel.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        deleteRecursively(base);
        if (!serverErrors.isEmpty()) {
            throw new AssertionError("server-side exceptions: " + serverErrors);
        }
    }

    /** The site root as configured: write the files a test serves here. */
    Path root() {
        return root;
    }

    /** A directory next to the root, outside the site. */
    Path outside() throws IOException {
        return Files.createDirectories(base.resolve("outside"));
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create((tls ? "https" : "http") + "://localhost:" + port() + pathAndQuery);
    }

    HttpResponse<byte[]> get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, headers);
    }

    HttpResponse<byte[]> head(String pathAndQuery, String... headers) {
        return send("HEAD", pathAndQuery, headers);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Sends {@code method target} over a raw socket exactly as written (no client-side
     * normalisation), with {@code Connection: close}, and reads the response to the end.
     */
    RawResponse raw(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = openSocket()) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(UTF_8));
            out.flush();
            return RawResponse.parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawResponse rawGet(String target, String... headerLines) {
        return raw("GET", target, headerLines);
    }

    Socket openSocket() throws IOException {
        Socket plain = new Socket("127.0.0.1", port());
        if (clientSsl == null) {
            return plain;
        }
        SSLSocket socket = (SSLSocket) clientSsl.getSocketFactory().createSocket(plain, "localhost", port(), true);
        socket.startHandshake();
        return socket;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }

    /** Stands in for the gateway's JSON error builder. */
    static FullHttpResponse jsonError(HttpRequest request, HttpResponseStatus status) {
        ByteBuf body = Unpooled.copiedBuffer("{\"status\":" + status.code() + ",\"error\":\""
                + status.reasonPhrase() + "\"}", UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return response;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The stand-in for gateway-core's dispatch: route prefix, serve, keep-alive. */
    private final class ServeHandler extends SimpleChannelInboundHandler<HttpObject> {

        private final StaticSite site;

        ServeHandler(StaticSite site) {
            this.site = site;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request)) {
                return; // request body parts: released by SimpleChannelInboundHandler
            }
            if (request.decoderResult().isFailure()) {
                ctx.writeAndFlush(jsonError(request, HttpResponseStatus.BAD_REQUEST))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String uri = request.uri();
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            String queryString = query < 0 ? null : uri.substring(query + 1);
            String pathInSite;
            if (mount.isEmpty()) {
                pathInSite = path;
            } else if (path.equals(mount) || path.startsWith(mount + "/")) {
                pathInSite = path.substring(mount.length());
            } else {
                FullHttpResponse notFound = jsonError(request, HttpResponseStatus.NOT_FOUND);
                HttpUtil.setContentLength(notFound, notFound.content().readableBytes());
                ctx.writeAndFlush(notFound);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            ChannelFuture last = site.serve(ctx, request, path, queryString, pathInSite);
            if (!keepAlive) {
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) { // resets by clients that hang up are expected
                serverErrors.add(cause);
            }
            ctx.close();
        }
    }

    /** A response as read off the wire: status, headers (lower-cased names) and the exact body bytes. */
    record RawResponse(int status, List<String[]> headers, byte[] body) {

        static RawResponse parse(byte[] bytes) {
            int end = indexOf(bytes, "\r\n\r\n".getBytes(UTF_8));
            if (end < 0) {
                throw new AssertionError("no complete response head in: " + new String(bytes, UTF_8));
            }
            String[] lines = new String(bytes, 0, end, UTF_8).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            List<String[]> headers = Stream.of(lines).skip(1)
                    .map(line -> new String[] {
                        line.substring(0, line.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT),
                        line.substring(line.indexOf(':') + 1).trim()})
                    .toList();
            byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
            return new RawResponse(status, headers, body);
        }

        String header(String name) {
            return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        String bodyText() {
            return new String(body, UTF_8);
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
