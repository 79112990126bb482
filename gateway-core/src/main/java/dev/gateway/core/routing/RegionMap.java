package dev.gateway.core.routing;

/**
 * A hash map with string keys that is looked up by a region of a larger string (a path segment, the
 * host in a Host header), so a lookup allocates no substring. Open addressing with linear probing;
 * filled once while a route table is built, then only read.
 */
final class RegionMap<V> {

    private String[] keys = new String[4];
    private int[] hashes = new int[4];
    private Object[] values = new Object[4];
    private int size;

    V get(String key) {
        return get(key, 0, key.length(), false);
    }

    /**
     * The value of the key equal to {@code text[from, to)}, or null.
     *
     * @param ignoreAsciiCase compare {@code A-Z} in the text as {@code a-z} (keys are then lower case)
     */
    @SuppressWarnings("unchecked")
    V get(String text, int from, int to, boolean ignoreAsciiCase) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + (ignoreAsciiCase ? lower(text.charAt(i)) : text.charAt(i));
        }
        int mask = keys.length - 1;
        for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && equal(keys[slot], text, from, to, ignoreAsciiCase)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    void put(String key, V value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int hash = key.hashCode();
        int mask = keys.length - 1;
        int slot = spread(hash) & mask;
        while (keys[slot] != null && !keys[slot].equals(key)) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == null) {
            size++;
        }
        keys[slot] = key;
        hashes[slot] = hash;
        values[slot] = value;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void grow() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        hashes = new int[keys.length];
        values = new Object[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                @SuppressWarnings("unchecked")
                V value = (V) oldValues[i];
                put(oldKeys[i], value);
            }
        }
    }

    private static boolean equal(String key, String text, int from, int to, boolean ignoreAsciiCase) {
        int length = to - from;
        if (key.length() != length) {
            return false;
        }
        if (!ignoreAsciiCase) {
            return key.regionMatches(0, text, from, length);
        }
        for (int i = 0; i < length; i++) {
            if (key.charAt(i) != lower(text.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
