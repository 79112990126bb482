package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.HeaderRules;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class RequestHeaderRulesTest {

    @Test
    void noRulesLeaveHeadersUntouched() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Debug", "1").add("Accept", "*/*");

        ProxyRoute.applyRules(HeaderRules.NONE, headers);

        assertThat(headers.entries()).extracting(Map.Entry::getKey, Map.Entry::getValue)
                .containsExactly(Tuple.tuple("X-Debug", "1"),
                        Tuple.tuple("Accept", "*/*"));
    }

    @Test
    void removeDropsEveryValueWhateverTheCase() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Debug", "1")
                .add("x-DEBUG", "2")
                .add("Server", "nginx")
                .add("Accept", "*/*");

        ProxyRoute.applyRules(new HeaderRules(Map.of(), List.of("x-debug", "SERVER")), headers);

        assertThat(headers.contains("X-Debug")).isFalse();
        assertThat(headers.contains("Server")).isFalse();
        assertThat(headers.get("Accept")).isEqualTo("*/*");
        assertThat(headers.size()).isEqualTo(1);
    }

    @Test
    void setReplacesEveryValueWhateverTheCase() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Env", "dev").add("x-env", "test");

        ProxyRoute.applyRules(new HeaderRules(Map.of("X-ENV", "prod"), List.of()), headers);

        assertThat(headers.getAll("x-env")).containsExactly("prod");
    }

    @Test
    void setAddsAMissingHeader() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Accept", "*/*");

        ProxyRoute.applyRules(new HeaderRules(Map.of("Strict-Transport-Security", "max-age=31536000"), List.of()),
                headers);

        assertThat(headers.get("strict-transport-security")).isEqualTo("max-age=31536000");
        assertThat(headers.get("Accept")).isEqualTo("*/*");
    }

    @Test
    void removeRunsBeforeSetSoASetHeaderSurvives() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Trace", "client-value");
        Map<String, String> set = new LinkedHashMap<>();
        set.put("x-trace", "gateway");
        set.put("X-Env", "prod");

        ProxyRoute.applyRules(new HeaderRules(set, List.of("X-TRACE", "x-env")), headers);

        assertThat(headers.getAll("X-Trace")).containsExactly("gateway");
        assertThat(headers.getAll("X-Env")).containsExactly("prod");
    }

    @Test
    void removingAnAbsentHeaderIsHarmless() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Accept", "*/*");

        ProxyRoute.applyRules(new HeaderRules(Map.of(), List.of("X-Not-There")), headers);

        assertThat(headers.size()).isEqualTo(1);
        assertThat(headers.get("Accept")).isEqualTo("*/*");
    }
}
