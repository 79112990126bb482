package dev.gateway.core.tls;

import io.netty.handler.ssl.SslContext;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The ACME challenge responses being offered right now, written by the ACME client and read by the
 * listeners: http-01 key authorizations by token (RFC 8555 §8.3, answered on the plain listener
 * under {@code /.well-known/acme-challenge/}) and tls-alpn-01 validation certificates by domain
 * (RFC 8737 §3, chosen for a handshake that offers only "acme-tls/1").
 */
public final class AcmeChallenges {

    /** RFC 8737 §6.2: the ALPN protocol of the tls-alpn-01 challenge. */
    public static final String ACME_TLS_1 = "acme-tls/1";
    /** RFC 8555 §8.3 */
    public static final String HTTP_01_PATH = "/.well-known/acme-challenge/";

    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Map<String, SslContext> validations = new ConcurrentHashMap<>();
    private final TlsEngine engine;

    AcmeChallenges(TlsEngine engine) {
        this.engine = engine;
    }

    public void offerHttp01(String token, String keyAuthorization) {
        tokens.put(token, keyAuthorization);
    }

    public void withdrawHttp01(String token) {
        tokens.remove(token);
    }

    /** The key authorization for a request path under {@link #HTTP_01_PATH}, or null. */
    public String http01(String path) {
        if (!path.startsWith(HTTP_01_PATH)) {
            return null;
        }
        return tokens.get(path.substring(HTTP_01_PATH.length()));
    }

    /** Serves {@code certificate} to handshakes for {@code domain} that offer only acme-tls/1. */
    public void offerTlsAlpn01(String domain, KeyPair keys, X509Certificate certificate) throws SSLException {
        validations.put(domain, ServerContexts.challenge(keys, certificate, engine));
    }

    public void withdrawTlsAlpn01(String domain) {
        validations.remove(domain);
    }

    /** RFC 8737 §3: the validation context when the client offered exactly acme-tls/1 for a pending domain. */
    SslContext select(ClientHello hello) {
        if (hello.serverName() == null || !hello.protocols().equals(java.util.List.of(ACME_TLS_1))) {
            return null;
        }
        return validations.get(hello.serverName());
    }
}
