package dev.gateway.balancer.targets;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What strategies read of a pool's targets on every pick, one int per target in one array: active
 * requests in the low bits and two flags. A scan of a hundred targets then reads a few contiguous
 * cache lines instead of chasing a Target, its counter and its breaker for each.
 *
 * <p>A flag says "not plainly admissible, ask the slow way": {@link #UNHEALTHY} mirrors the health
 * checks' verdict and {@link #BREAKER_NOT_CLOSED} the breaker's state. Each is changed with an atomic
 * read-modify-write, so neither the other flag nor the counter is ever lost.
 */
public final class TargetStates {

    public static final int UNHEALTHY = 1 << 30;
    public static final int BREAKER_NOT_CLOSED = 1 << 29;
    /** active requests; far more than a target could ever have in flight */
    public static final int ACTIVE = BREAKER_NOT_CLOSED - 1;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] words;

    public TargetStates(int size) {
        this.words = new int[size];
    }

    int size() {
        return words.length;
    }

    /** Active requests and flags of one target; a recent value, without ordering guarantees. */
    int word(int index) {
        return (int) WORDS.getOpaque(words, index);
    }

    int active(int index) {
        return word(index) & ACTIVE;
    }

    /**
     * {@link #word} as a plain read, which the JIT can unroll a scan over. Good enough for a pick,
     * which wants a recent value, not an ordered one: an int is never torn, and the JIT cannot carry
     * a plain read across the atomic and volatile accesses that separate one pick from the next
     * ({@link Pool#select} asks the chosen target's breaker after every pick).
     */
    public int scanWord(int index) {
        return words[index];
    }

    /** The array itself, for scans that read it in a loop (as {@link #scanWord} does); never written through. */
    public int[] words() {
        return words;
    }

    void started(int index) {
        WORDS.getAndAdd(words, index, 1);
    }

    void finished(int index) {
        WORDS.getAndAdd(words, index, -1);
    }

    void flag(int index, int flag, boolean set) {
        if (set) {
            WORDS.getAndBitwiseOr(words, index, flag);
        } else {
            WORDS.getAndBitwiseAnd(words, index, ~flag);
        }
    }
}
