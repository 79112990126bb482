package dev.gateway.core.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} items added, lock-free: any thread adds (one atomic increment and one
 * store, the oldest item is overwritten), any thread reads a copy. A reader racing writers may see
 * a slot already overwritten by a newer item; for a dashboard that is fine.
 */
final class Ring<T> {

    private final AtomicReferenceArray<T> slots;
    private final AtomicLong next = new AtomicLong();

    Ring(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    void add(T item) {
        long i = next.getAndIncrement();
        slots.set((int) (i % slots.length()), item);
    }

    /** The items, newest first. */
    List<T> newestFirst() {
        long end = next.get();
        int n = (int) Math.min(end, slots.length());
        List<T> out = new ArrayList<>(n);
        for (long i = end - 1; i >= end - n; i--) {
            T item = slots.get((int) (i % slots.length()));
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }
}
