package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code cors}: cross-origin resource sharing (Fetch standard, "CORS protocol") answered by the
 * gateway.
 *
 * @param origins serialized origins allowed ({@code https://app.example.com}), compared exactly; empty when {@link #anyOrigin}
 * @param anyOrigin {@code origins = ["*"]}
 * @param methods methods a preflight may ask for (upper case)
 * @param headers request headers a preflight may ask for (lower case); {@code *} allows any
 * @param expose response headers scripts may read
 * @param credentials cookies and {@code Authorization} allowed on cross-origin requests
 * @param maxAge how long a browser may cache a preflight answer
 */
public record CorsConfig(Set<String> origins, boolean anyOrigin, List<String> methods, List<String> headers,
                         List<String> expose, boolean credentials, Duration maxAge) {

    public CorsConfig {
        origins = Set.copyOf(origins);
        methods = List.copyOf(methods);
        headers = List.copyOf(headers);
        expose = List.copyOf(expose);
    }
}
