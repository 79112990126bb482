package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.proxy.upstream.UpstreamTransport;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** The TLS handler that requests and health checks to an https target share: SNI and host name checks. */
class TlsToTargetsTest {

    @Test
    void handlerSendsTheTargetsHostAsSniAndVerifiesItInTheCertificate() {
        UpstreamTransport transport = new UpstreamTransport(null, null);
        SslHandler handler = transport.newTlsHandler(ByteBufAllocator.DEFAULT, "api.internal.example", 8443);
        try {
            SSLParameters parameters = handler.engine().getSSLParameters();
            assertThat(parameters.getServerNames()).isEqualTo(List.of(new SNIHostName("api.internal.example")));
            assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(handler.engine().getPeerHost()).isEqualTo("api.internal.example");
            assertThat(handler.engine().getPeerPort()).isEqualTo(8443);
        } finally {
            handler.engine().closeOutbound();
        }
    }
}
