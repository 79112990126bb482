package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.RetryBudget;
import dev.gateway.balancer.targets.Outcome.Kind;
import dev.gateway.proxy.RetryPolicy.Decision;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The retry rule of docs/architecture.md, one decision at a time. */
class RetryPolicyTest {

    private static RetryBudget plentifulBudget() {
        return new RetryBudget(100, 100, () -> 0L);
    }

    @Test
    void consumedBodyOrTimeoutIsNeverRetried() {
        RetryPolicy get = new RetryPolicy(HttpMethod.GET, 3, plentifulBudget());
        assertThat(get.decide(Kind.RESET, false, true)).isEqualTo(Decision.GIVE_UP);
        assertThat(get.decide(Kind.TIMEOUT, false, false)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void nonIdempotentRequestIsRetriedOnlyWhenItNeverReachedATarget() {
        RetryPolicy post = new RetryPolicy(HttpMethod.POST, 3, plentifulBudget());
        assertThat(post.decide(Kind.RESET, true, false)).isEqualTo(Decision.GIVE_UP);
        assertThat(post.decide(Kind.INVALID_RESPONSE, false, false)).isEqualTo(Decision.GIVE_UP);
        assertThat(post.decide(Kind.CONNECT_FAILURE, false, false)).isEqualTo(Decision.RETRY_AFTER_BACKOFF);
        assertThat(post.decide(Kind.CONNECT_TIMEOUT, false, false)).isEqualTo(Decision.RETRY_AFTER_BACKOFF);
    }

    @Test
    void resetOnAReusedConnectionGetsOneFreshConnectionOnTopOfTheRetries() {
        RetryPolicy get = new RetryPolicy(HttpMethod.GET, 1, plentifulBudget());
        assertThat(get.decide(Kind.RESET, true, false)).isEqualTo(Decision.FRESH_CONNECTION);
        assertThat(get.decide(Kind.RESET, true, false)).isEqualTo(Decision.RETRY_AFTER_BACKOFF);
        assertThat(get.decide(Kind.RESET, false, false)).isEqualTo(Decision.GIVE_UP);
    }

    @Test
    void retriesStopWhenTheBudgetIsSpentExceptForConnectionsNeverEstablished() {
        RetryPolicy get = new RetryPolicy(HttpMethod.GET, 5, new RetryBudget(0, 0, () -> 0L));
        assertThat(get.decide(Kind.RESET, false, false)).isEqualTo(Decision.GIVE_UP);
        assertThat(get.decide(Kind.CONNECT_FAILURE, false, false)).isEqualTo(Decision.RETRY_AFTER_BACKOFF);
    }

    @Test
    void backoffIsJitteredUpToAnExponentialCeilingWithACap() {
        for (int i = 0; i < 1000; i++) {
            assertThat(RetryPolicy.backoffNanos(1)).isBetween(0L, TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(RetryPolicy.backoffNanos(30)).isBetween(0L, TimeUnit.SECONDS.toNanos(1));
        }
    }
}
