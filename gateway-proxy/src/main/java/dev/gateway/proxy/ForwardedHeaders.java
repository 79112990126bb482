package dev.gateway.proxy;

import dev.gateway.config.Cidr;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * X-Forwarded-For / -Proto / -Host / -Port, X-Real-IP and Forwarded (RFC 7239) on the way to a
 * target. What a client sends is only believed when the client is a trusted proxy; from anyone else
 * every {@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} it sent is removed and the
 * gateway's own set, so a client cannot forge its address, scheme, port or path prefix to the
 * backend (frameworks read {@code X-Forwarded-Prefix}, {@code -Ssl}, {@code -Server} too).
 */
final class ForwardedHeaders {

    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    /** nginx's convention: the address of the client the gateway served. */
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    /** Envoy's header for the client certificate the gateway verified (mutual TLS). */
    static final AsciiString X_FORWARDED_CLIENT_CERT = AsciiString.cached("x-forwarded-client-cert");
    /** How the name of every X-Forwarded-* header starts. */
    private static final AsciiString X_FORWARDED_ANY = AsciiString.cached("x-forwarded-");

    private final List<Cidr> trustedProxies;

    ForwardedHeaders(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param host the client's Host header as received (before any preserve_host rewrite), or null
     * @param listenerPort the port of the gateway listener the client connected to
     */
    void apply(HttpHeaders headers, String clientIp, boolean secure, String host, int listenerPort) {
        boolean trusted = isTrusted(clientIp);
        if (!trusted) {
            removeClientForwardingHeaders(headers);
        }
        String proto = secure ? "https" : "http";
        String forwardedFor = trusted ? joined(headers, X_FORWARDED_FOR) : null;
        headers.set(X_FORWARDED_FOR, forwardedFor == null || forwardedFor.isBlank() ? clientIp : forwardedFor + ", " + clientIp);
        if (!trusted || !headers.contains(X_FORWARDED_PROTO)) {
            headers.set(X_FORWARDED_PROTO, proto);
        }
        if (!trusted || !headers.contains(X_FORWARDED_HOST)) {
            if (host == null) {
                headers.remove(X_FORWARDED_HOST);
            } else {
                headers.set(X_FORWARDED_HOST, host);
            }
        }
        if (!headers.contains(X_REAL_IP)) {
            headers.set(X_REAL_IP, clientIp);
        }
        if (!headers.contains(X_FORWARDED_PORT)) {
            headers.setInt(X_FORWARDED_PORT, listenerPort);
        }
        String element = "for=" + forNode(clientIp) + ";proto=" + proto + (host == null ? "" : ";host=" + quoted(host));
        String forwarded = trusted ? joined(headers, FORWARDED) : null;
        headers.set(FORWARDED, forwarded == null || forwarded.isBlank() ? element : forwarded + ", " + element);
    }

    /** Every X-Forwarded-*, and X-Real-IP: only the gateway's own values go to the target. */
    /**
     * {@code x-forwarded-client-cert}: whatever a client sent is removed, from any client (only the
     * gateway vouches for a certificate it verified itself); the connection's own verified
     * certificate, if any, is set.
     */
    static void clientCertificate(HttpHeaders headers, String value) {
        headers.remove(X_FORWARDED_CLIENT_CERT);
        if (value != null) {
            headers.set(X_FORWARDED_CLIENT_CERT, value);
        }
    }

    private static void removeClientForwardingHeaders(HttpHeaders headers) {
        List<CharSequence> forged = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (AsciiString.regionMatches(name, true, 0, X_FORWARDED_ANY, 0, X_FORWARDED_ANY.length())
                    || X_REAL_IP.contentEqualsIgnoreCase(name)) {
                if (forged == null) {
                    forged = new ArrayList<>(4);
                }
                forged.add(name);
            }
        }
        if (forged != null) {
            for (CharSequence name : forged) {
                headers.remove(name);
            }
        }
    }

    boolean isTrusted(String ip) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(ip).getAddress(); // an IP literal: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** All lines of a list header as one value: a trusted proxy may have sent several. */
    private static String joined(HttpHeaders headers, CharSequence name) {
        java.util.List<String> lines = headers.getAll(name);
        return lines.isEmpty() ? null : String.join(", ", lines);
    }

    /** RFC 7230 §3.2.6 quoted-string: backslash-escape quotes and backslashes. */
    private static String quoted(String value) {
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            return "\"" + value + "\"";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** RFC 7239 §6: IPv6 addresses are bracketed and quoted. */
    private static String forNode(String ip) {
        return ip.indexOf(':') >= 0 ? "\"[" + ip + "]\"" : ip;
    }

}
