package dev.gateway.balancer.strategy;

/**
 * What {@code consistent_hash} keys on ({@code hash_key}): the client address, the path, a header or
 * a cookie. A missing header or cookie falls back to the client address, so such requests still
 * spread and stay sticky per client.
 */
final class HashKey {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Source source;
    private final String name;

    private HashKey(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    static HashKey parse(String hashKey) {
        if (hashKey == null || hashKey.isEmpty() || hashKey.equals("client_ip")) {
            return new HashKey(Source.CLIENT_IP, null);
        }
        if (hashKey.equals("path")) {
            return new HashKey(Source.PATH, null);
        }
        if (hashKey.startsWith("header:") && hashKey.length() > "header:".length()) {
            return new HashKey(Source.HEADER, hashKey.substring("header:".length()));
        }
        if (hashKey.startsWith("cookie:") && hashKey.length() > "cookie:".length()) {
            return new HashKey(Source.COOKIE, hashKey.substring("cookie:".length()));
        }
        throw new IllegalArgumentException("hash_key: " + hashKey
                + " (expected: client_ip, path, header:NAME or cookie:NAME)");
    }

    /** The request's key, hashed; allocation-free. */
    long hashOf(RequestKey key) {
        String value = switch (source) {
            case CLIENT_IP -> key.clientIp();
            case PATH -> key.path();
            case HEADER -> key.header(name);
            case COOKIE -> key.cookie(name);
        };
        return hash(value != null ? value : key.clientIp());
    }

    /** FNV-1a over the UTF-16 units, then a murmur3 finalizer so nearby strings land far apart. */
    static long hash(String value) {
        if (value == null) {
            return 0;
        }
        long h = FNV_OFFSET;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private enum Source { CLIENT_IP, PATH, HEADER, COOKIE }
}
