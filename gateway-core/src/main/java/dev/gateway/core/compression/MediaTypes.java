package dev.gateway.core.compression;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code types} allow-list compiled for lookups: exact {@code type/subtype}, {@code type/*}
 * and {@code type/*+suffix} (RFC 6838 §4.2.8). A Content-Type's parameters
 * ({@code ; charset=utf-8}) are ignored and the match is case-insensitive (RFC 9110 §8.3.1).
 */
final class MediaTypes {

    private final Set<String> exact = new HashSet<>();
    private final Set<String> anySubtype = new HashSet<>();
    private final Set<String> suffixes = new HashSet<>();

    MediaTypes(List<String> ranges) {
        for (String range : ranges) {
            int slash = range.indexOf('/');
            String subtype = range.substring(slash + 1);
            if (subtype.equals("*")) {
                anySubtype.add(range.substring(0, slash));
            } else if (subtype.startsWith("*+")) {
                suffixes.add(range.substring(0, slash) + "/" + subtype.substring(1)); // "application/+json"
            } else {
                exact.add(range);
            }
        }
    }

    boolean matches(String contentType) {
        if (contentType == null) {
            return false;
        }
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        if (exact.contains(type) || anySubtype.contains(type.substring(0, slash))) {
            return true;
        }
        int plus = type.lastIndexOf('+');
        return plus > slash && suffixes.contains(type.substring(0, slash + 1) + type.substring(plus));
    }
}
