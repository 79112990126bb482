package dev.gateway.config.load;

import dev.gateway.config.AccessConfig;
import dev.gateway.config.Cidr;
import dev.gateway.config.toml.TableReader;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code allow} and {@code deny}: the {@code [access]} table (every route without lists of
 * its own, the default site and unmatched requests) and the same two keys on a route.
 *
 * <p>DEFAULTS: both {@code []}: everyone. A route with either key uses only its own lists.
 */
final class AccessReader {

    static final Set<String> KEYS = Set.of("allow", "deny");

    private AccessReader() {
    }

    /** {@code [access]}, or none. */
    static AccessConfig global(TableReader table) {
        return lists(table);
    }

    /** A route's own lists, when it has {@code allow} or {@code deny}. */
    static Optional<AccessConfig> route(TableReader route) {
        if (!route.has("allow") && !route.has("deny")) {
            return Optional.empty();
        }
        return Optional.of(lists(route));
    }

    private static AccessConfig lists(TableReader table) {
        List<Cidr> allow = table.list("allow", List.of(), v -> Cidr.parse(v.string()));
        List<Cidr> deny = table.list("deny", List.of(), v -> Cidr.parse(v.string()));
        return new AccessConfig(allow, deny);
    }
}
