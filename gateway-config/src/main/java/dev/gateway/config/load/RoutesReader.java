package dev.gateway.config.load;

import dev.gateway.config.RouteConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.toml.ReadContext;
import dev.gateway.config.toml.TableReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads every {@code [[routes]]} entry, then settles what depends on all of them: names (explicit
 * ones must be unique; derived ones get "-2", "-3" when taken), duplicate routes (same host, path
 * shape and method set), and the pools of routes with inline {@code targets} or {@code forward_auth}.
 */
final class RoutesReader {

    private RoutesReader() {
    }

    /** The routes in file order, the {@code route:<name>} pools of inline targets and the {@code auth:<name>} pools of forward_auth. */
    record Result(List<RouteConfig> routes, Map<String, UpstreamConfig> inlinePools) {
    }

    static Result read(ReadContext ctx, List<TableReader> tables, Set<String> upstreamNames) {
        List<RouteDraft> drafts = new ArrayList<>();
        for (TableReader table : tables) {
            RouteDraft draft = RouteReader.read(table, upstreamNames);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        List<String> names = names(drafts, ctx);
        reportDuplicates(drafts, ctx);
        List<RouteConfig> routes = new ArrayList<>();
        Map<String, UpstreamConfig> pools = new LinkedHashMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            RouteDraft draft = drafts.get(i);
            RouteConfig route = draft.named(names.get(i));
            routes.add(route);
            if (draft.inlineTargets() != null) {
                pools.put(UpstreamReader.INLINE_PREFIX + route.name(), UpstreamReader.inline(route.name(),
                        draft.inlineTargets()));
            }
            route.middleware().forwardAuth().ifPresent(auth -> pools.put(auth.upstream(), UpstreamReader.authPool(auth)));
        }
        return new Result(routes, pools);
    }

    private static List<String> names(List<RouteDraft> drafts, ReadContext ctx) {
        Map<String, String> explicit = new HashMap<>();
        for (RouteDraft draft : drafts) {
            draft.explicitName().ifPresent(name -> {
                String first = explicit.putIfAbsent(name, draft.keyPath());
                if (first != null) {
                    ctx.problem(draft.keyPath() + ".name", "name '" + name + "' is already used by " + first
                            + " (route names must be unique)");
                }
            });
        }
        Set<String> taken = new HashSet<>(explicit.keySet());
        List<String> names = new ArrayList<>();
        for (RouteDraft draft : drafts) {
            if (draft.explicitName().isPresent()) {
                names.add(draft.explicitName().get());
                continue;
            }
            String base = draft.pattern().derivedName();
            String name = base;
            for (int n = 2; !taken.add(name); n++) {
                name = base + "-" + n;
            }
            names.add(name);
        }
        return names;
    }

    private static void reportDuplicates(List<RouteDraft> drafts, ReadContext ctx) {
        Map<String, String> seen = new HashMap<>();
        for (RouteDraft draft : drafts) {
            RouteConfig route = draft.route();
            String key = route.host().orElse("*") + " " + draft.pattern().shape() + " " + new TreeSet<>(route.methods());
            String first = seen.putIfAbsent(key, draft.keyPath());
            if (first != null) {
                ctx.problem(draft.keyPath(), "duplicate route: same host, path and methods as " + first + " (path \""
                        + route.path() + "\"" + route.host().map(h -> ", host \"" + h + "\"").orElse("")
                        + (route.methods().isEmpty() ? "" : ", methods " + new TreeSet<>(route.methods())) + ")");
            }
        }
    }
}
