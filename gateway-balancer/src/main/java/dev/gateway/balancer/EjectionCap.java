package dev.gateway.balancer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code max_ejected_percent}: how many of a pool's targets breakers may hold open (or half-open)
 * at once. A trip that would exceed it is not applied, so a pool-wide problem cannot eject
 * everything on the breakers' say-so alone.
 */
final class EjectionCap {

    private final int max;
    private final AtomicInteger ejected = new AtomicInteger();

    EjectionCap(int targets, int maxEjectedPercent) {
        this.max = (int) ((long) targets * maxEjectedPercent / 100);
    }

    boolean tryAcquire() {
        while (true) {
            int current = ejected.get();
            if (current >= max) {
                return false;
            }
            if (ejected.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release() {
        ejected.decrementAndGet();
    }

    int ejected() {
        return ejected.get();
    }
}
