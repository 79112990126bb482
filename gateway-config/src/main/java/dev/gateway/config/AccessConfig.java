package dev.gateway.config;

import java.util.List;

/**
 * {@code allow} / {@code deny}: who may use a route (or, under {@code [access]}, every route without
 * lists of its own). A client in {@code deny} is refused; otherwise, when {@code allow} is not
 * empty, a client outside it is refused.
 */
public record AccessConfig(List<Cidr> allow, List<Cidr> deny) {

    public static final AccessConfig NONE = new AccessConfig(List.of(), List.of());

    public AccessConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
