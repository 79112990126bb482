package dev.gateway.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The verified client certificate of a mutual-TLS connection as one {@code x-forwarded-client-cert}
 * value in Envoy's format: {@code Hash=<sha256 of the DER>;Subject="<RFC 2253 DN>";URI=...;DNS=...},
 * computed once per connection. A value containing {@code , ; = "} is quoted, with {@code "} and
 * {@code \} escaped.
 */
public final class ClientCertificates {

    private static final AttributeKey<String> XFCC = AttributeKey.valueOf(ClientCertificates.class, "xfcc");
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private ClientCertificates() {
    }

    /** The header value for the connection's verified client certificate, or null when it presented none. */
    public static String forwardedClientCert(Channel channel) {
        String cached = channel.attr(XFCC).get();
        if (cached != null) {
            return cached.isEmpty() ? null : cached;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        String value = "";
        if (tls != null && tls.handshakeFuture().isSuccess()) {
            try {
                Certificate[] peer = tls.engine().getSession().getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate) {
                    value = format((X509Certificate) peer[0]);
                }
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate (client_auth = "optional", or none)
            }
            channel.attr(XFCC).set(value);
        }
        return value.isEmpty() ? null : value;
    }

    /**
     * The subject (RFC 2253 form) of the client certificate on the connection of {@code channel} (or of
     * an HTTP/2 stream's parent connection), or "" without TLS or without a certificate: the value of
     * the {@code ${tls_client_subject}} header variable.
     */
    public static String subject(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null && channel.parent() != null) {
            tls = channel.parent().pipeline().get(SslHandler.class);
        }
        if (tls == null || !tls.handshakeFuture().isSuccess()) {
            return "";
        }
        try {
            Certificate[] peer = tls.engine().getSession().getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate) {
                return ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return "";
    }

    static String format(X509Certificate certificate) {
        StringBuilder uris = new StringBuilder();
        StringBuilder dns = new StringBuilder();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_URI) {
                        uris.append(";URI=").append(quote((String) san.get(1)));
                    } else if (type == SAN_DNS) {
                        dns.append(";DNS=").append(quote((String) san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no SAN extension to report
        }
        return "Hash=" + sha256(certificate) + ";Subject=\"" + escape(certificate.getSubjectX500Principal().getName()) + '"'
                + uris + dns;
    }

    private static String quote(String value) {
        if (value.chars().noneMatch(c -> c == ',' || c == ';' || c == '=' || c == '"' || c == '\\')) {
            return value;
        }
        return '"' + escape(value) + '"';
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
