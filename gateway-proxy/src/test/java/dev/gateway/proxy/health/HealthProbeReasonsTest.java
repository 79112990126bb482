package dev.gateway.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reasons a failed health check gives the operator: short, and without JDK class names. */
class HealthProbeReasonsTest {

    @Test
    void connectFailuresAreNamedPlainly() {
        assertThat(UpstreamHealthProbe.describe(new ConnectException("Connection refused"))).isEqualTo("connect refused");
        assertThat(UpstreamHealthProbe.describe(new ConnectTimeoutException("connection timed out after 2000 ms")))
                .isEqualTo("connect timeout");
    }

    @Test
    void handshakeReasonsLoseTheNestedClassNames() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path"
                + " to requested target");
        assertThat(UpstreamHealthProbe.describeTls(new DecoderException(untrusted)))
                .isEqualTo("PKIX path building failed: unable to find valid certification path to requested target");
        assertThat(UpstreamHealthProbe.describeTls(new SSLHandshakeException("No subject alternative names present")))
                .isEqualTo("No subject alternative names present");
    }

    @Test
    void aPlainTextAnswerAndAClosedConnectionAreSaidSo() {
        assertThat(UpstreamHealthProbe.describeTls(new NotSslRecordException("not an SSL/TLS record: 485454502f312e31")))
                .isEqualTo("the target did not answer in TLS");
        assertThat(UpstreamHealthProbe.describeTls(new ClosedChannelException())).isEqualTo("connection closed");
    }
}
