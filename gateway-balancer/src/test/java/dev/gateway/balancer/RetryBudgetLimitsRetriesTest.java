package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetLimitsRetriesTest {

    private final AtomicLong clock = new AtomicLong(123_456_789L);

    @Test
    void twentyPercentDepositsAllowOneRetryPerFiveRequests() {
        RetryBudget budget = new RetryBudget(20, 0, clock::get);

        int retries = 0;
        for (int request = 1; request <= 100; request++) {
            budget.deposit();
            if (budget.tryWithdraw()) {
                retries++;
                assertThat(request % 5).as("retry allowed after request %d", request).isZero();
            }
        }

        assertThat(retries).isEqualTo(20);
    }

    @Test
    void fourRequestsDoNotEarnAWholeRetry() {
        RetryBudget budget = new RetryBudget(20, 0, clock::get);
        for (int i = 0; i < 4; i++) {
            budget.deposit();
        }

        assertThat(budget.tryWithdraw()).isFalse();

        budget.deposit();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void budgetStartsWithOneSecondOfTrickle() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);

        assertThat(withdrawAll(budget)).isEqualTo(3);
    }

    @Test
    void minimumTrickleAllowsRetriesWithoutRequests() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);
        withdrawAll(budget);

        advance(Duration.ofSeconds(1));
        assertThat(withdrawAll(budget)).isEqualTo(3);

        advance(Duration.ofSeconds(2));
        assertThat(withdrawAll(budget)).isEqualTo(6);
    }

    @Test
    void fractionsOfATrickledTokenCarryOver() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);
        withdrawAll(budget);

        advance(Duration.ofMillis(500)); // 1.5 tokens
        assertThat(withdrawAll(budget)).isEqualTo(1);

        advance(Duration.ofMillis(500)); // 0.5 left + 1.5
        assertThat(withdrawAll(budget)).isEqualTo(2);
    }

    @Test
    void trickleBelowAMillisecondIsNotLost() {
        RetryBudget budget = new RetryBudget(20, 1, clock::get);
        withdrawAll(budget);

        int granted = 0;
        for (int i = 0; i < 2_000; i++) { // 1 s of attempts, 0.5 ms apart
            advance(Duration.ofNanos(500_000));
            if (budget.tryWithdraw()) {
                granted++;
            }
        }

        assertThat(granted).isEqualTo(1);
        advance(Duration.ofMillis(1));
        assertThat(withdrawAll(budget)).isZero();

        advance(Duration.ofSeconds(1));
        assertThat(withdrawAll(budget)).isEqualTo(1);
    }

    @Test
    void trickleAndDepositsAddUp() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);
        withdrawAll(budget);
        for (int i = 0; i < 10; i++) {
            budget.deposit();
        }

        advance(Duration.ofSeconds(1));

        assertThat(withdrawAll(budget)).isEqualTo(2 + 3);
    }

    @Test
    void aQuietPeriodBanksAtMostTenSecondsOfTrickle() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);

        advance(Duration.ofHours(1));

        assertThat(withdrawAll(budget)).isEqualTo(30);
    }

    @Test
    void depositsAreCappedAtTenTokensForASmallTrickle() {
        RetryBudget budget = new RetryBudget(100, 0, clock::get);
        for (int i = 0; i < 1_000; i++) {
            budget.deposit();
        }

        assertThat(withdrawAll(budget)).isEqualTo(10);
    }

    @Test
    void refusedWithdrawalsLeaveNoDebt() {
        RetryBudget budget = new RetryBudget(20, 0, clock::get);
        for (int i = 0; i < 1_000; i++) {
            assertThat(budget.tryWithdraw()).isFalse();
        }

        for (int i = 0; i < 5; i++) {
            budget.deposit();
        }

        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void anEmptyBudgetStaysEmptyWhileTheClockStandsStill() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);
        withdrawAll(budget);

        for (int i = 0; i < 100; i++) {
            assertThat(budget.tryWithdraw()).isFalse();
        }
    }

    @Test
    void aVeryLongQuietPeriodStillRefillsToTheCap() {
        RetryBudget budget = new RetryBudget(20, 3, clock::get);

        advance(Duration.ofDays(40));

        assertThat(withdrawAll(budget)).isEqualTo(30);
    }

    @Test
    void frequentAttemptsDoNotSlowTheTrickle() {
        RetryBudget budget = new RetryBudget(20, 1, clock::get);
        withdrawAll(budget);
        int granted = 0;

        for (int i = 0; i < 20_000; i++) { // 30 s of attempts, 1.5 ms apart
            advance(Duration.ofNanos(1_500_000));
            if (budget.tryWithdraw()) {
                granted++;
            }
        }

        assertThat(granted).isBetween(29, 30);
    }

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    private static int withdrawAll(RetryBudget budget) {
        int count = 0;
        while (budget.tryWithdraw()) {
            count++;
            if (count > 1_000_000) {
                throw new AssertionError("budget never runs out");
            }
        }
        return count;
    }
}
