package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryBudgetConcurrencyTest {

    private static final int THREADS = 8;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutDown() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void racingWithdrawalsTakeEachTokenOnce() throws Exception {
        RetryBudget budget = new RetryBudget(20, 0, () -> 0L);
        for (int i = 0; i < 50; i++) {
            budget.deposit(); // 10 tokens, the cap
        }

        long granted = runOnAllThreads(() -> {
            long mine = 0;
            for (int i = 0; i < 10_000; i++) {
                if (budget.tryWithdraw()) {
                    mine++;
                }
            }
            return mine;
        });

        assertThat(granted).isEqualTo(10);
    }

    @Test
    void depositsAndWithdrawalsFromManyThreadsBalanceExactly() throws Exception {
        RetryBudget budget = new RetryBudget(20, 0, () -> 0L);
        int requestsPerThread = 20_000;

        long granted = runOnAllThreads(() -> {
            long mine = 0;
            for (int i = 0; i < requestsPerThread; i++) {
                budget.deposit();
                if (budget.tryWithdraw()) {
                    mine++;
                }
            }
            return mine;
        });
        long leftOver = 0;
        while (budget.tryWithdraw()) {
            leftOver++;
        }

        // The balance stays far below the cap, so no deposit is clipped: every token is accounted for.
        long deposited = (long) THREADS * requestsPerThread / 5;
        assertThat(granted + leftOver).isEqualTo(deposited);
        assertThat(leftOver).isLessThan(THREADS + 1);
    }

    @Test
    void concurrentRefillsNeverGrantMoreThanTheTimeThatPassed() throws Exception {
        AtomicLong clock = new AtomicLong();
        // every read of the clock moves it 0.1 ms, from whichever thread reads it
        RetryBudget budget = new RetryBudget(20, 100, () -> clock.addAndGet(100_000));
        long start = clock.get();

        long granted = runOnAllThreads(() -> {
            long mine = 0;
            for (int i = 0; i < 20_000; i++) {
                if (budget.tryWithdraw()) {
                    mine++;
                }
            }
            return mine;
        });

        long elapsedNanos = clock.get() - start;
        long earned = 100 + elapsedNanos * 100 / 1_000_000_000L; // starting balance + trickle
        assertThat(granted).isPositive().isLessThanOrEqualTo(earned);
    }

    private long runOnAllThreads(Callable<Long> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            results.add(executor.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        long total = 0;
        for (Future<Long> result : results) {
            total += result.get(30, TimeUnit.SECONDS);
        }
        return total;
    }
}
