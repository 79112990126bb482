package dev.gateway.core.tls;

import dev.gateway.config.TlsConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS implementation behind the listener: OpenSSL (BoringSSL, statically linked in
 * netty-tcnative for linux-x86_64 and linux-aarch_64) when it loads, else the JDK's engine.
 *
 * @param description for the start-up log and {@code /status}, e.g. "openssl (BoringSSL)"
 */
record TlsEngine(String name, SslProvider provider, String description) {

    static final TlsEngine JDK = new TlsEngine("jdk", SslProvider.JDK, "jdk (Java " + Runtime.version() + ")");

    static TlsEngine select(TlsConfig.Provider wanted) {
        switch (wanted) {
            case JDK:
                return JDK;
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("server.tls.provider = \"openssl\" but OpenSSL does not load on "
                            + "this machine: " + OpenSsl.unavailabilityCause());
                }
                return openSsl();
            default:
                return OpenSsl.isAvailable() ? openSsl() : JDK;
        }
    }

    /** Netty's non-reference-counted OpenSSL contexts: a replaced context is freed by the GC, never too early. */
    private static TlsEngine openSsl() {
        return new TlsEngine("openssl", SslProvider.OPENSSL, "openssl (" + OpenSsl.versionString() + ")");
    }

    boolean isOpenSsl() {
        return provider == SslProvider.OPENSSL;
    }
}
