package dev.gateway.core;

import dev.gateway.config.GatewayConfig;
import dev.gateway.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings the configuration accepts but this build does not act on yet. They are reported at
 * start-up and by {@code --check} rather than silently ignored, so nobody believes a route is rate
 * limited when it is not.
 */
final class PendingFeatures {

    private PendingFeatures() {
    }

    static List<String> warnings(GatewayConfig config) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig route = config.routes().get(i);
            String at = "routes[" + i + "] (" + route.name() + "): ";
            if (route.rateLimit().isPresent()) {
                warnings.add(at + "rate_limit is not enforced yet");
            }
        }
        return warnings;
    }
}
