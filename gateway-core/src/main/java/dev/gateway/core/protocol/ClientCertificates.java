package dev.gateway.core.protocol;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The certificate a client presented on its TLS connection, read from the session of the
 * connection's {@link SslHandler} (the connection itself, or the parent of an HTTP/2 stream). This
 * only reads what the TLS handshake established; whether client certificates are asked for and
 * how they are verified is the TLS listener's business.
 */
public final class ClientCertificates {

    private ClientCertificates() {
    }

    /** The subject of the client's certificate (RFC 2253 form), or "" without TLS or without one. */
    public static String subject(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null && channel.parent() != null) {
            tls = channel.parent().pipeline().get(SslHandler.class); // an HTTP/2 stream's connection
        }
        if (tls == null) {
            return "";
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return "";
    }
}
