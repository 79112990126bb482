package dev.gateway.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import dev.gateway.testkit.TestPki;

/**
 * A raw TLS connection to the gateway that trusts any certificate, so a test can see which one was
 * served: SNI of its choice (or none), an optional client certificate, and HTTP/1.1 requests over
 * the same connection.
 */
final class TlsClient implements AutoCloseable {

    final SSLSocket socket;

    private TlsClient(SSLSocket socket) {
        this.socket = socket;
    }

    /** Connects and completes the handshake; {@code serverName} null sends no SNI. */
    static TlsClient connect(int port, String serverName) throws Exception {
        return connect(port, serverName, null, List.of());
    }

    static TlsClient connect(int port, String serverName, TestPki.Issued clientCertificate, List<String> alpn)
            throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientCertificate == null ? null : keyManagers(clientCertificate).getKeyManagers(),
                new TrustManager[] {TRUST_ALL}, new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (!alpn.isEmpty()) {
            parameters.setApplicationProtocols(alpn.toArray(new String[0]));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new TlsClient(socket);
    }

    /** The first DNS name (or common name) of the certificate the gateway served for {@code serverName}. */
    static String servedName(int port, String serverName) throws Exception {
        try (TlsClient client = connect(port, serverName)) {
            return dev.gateway.config.pem.CertificatePair.names(client.peer()).get(0);
        }
    }

    X509Certificate peer() throws Exception {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** Sends a GET and reads the response (head and Content-Length body) as text. */
    String get(String path, String... headers) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static KeyManagerFactory keyManagers(TestPki.Issued issued) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", issued.key(), "pw".toCharArray(), issued.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, "pw".toCharArray());
        return factory;
    }

    static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
