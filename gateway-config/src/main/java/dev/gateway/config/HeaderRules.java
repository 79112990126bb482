package dev.gateway.config;

import java.util.List;
import java.util.Map;

/** {@code request_headers} / {@code response_headers}: headers to set (replace) and to remove. */
public record HeaderRules(Map<String, String> set, List<String> remove) {

    public static final HeaderRules NONE = new HeaderRules(Map.of(), List.of());

    public HeaderRules {
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        remove = List.copyOf(remove);
    }

    public boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }
}
