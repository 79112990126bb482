package dev.gateway.config;

import java.time.Duration;

/**
 * {@code rate_limit}: a token bucket per key; over the limit answers 429 with Retry-After.
 *
 * @param rate tokens added per {@code per}
 * @param burst bucket size
 * @param key "client_ip", "header:NAME" or "global"
 */
public record RateLimitConfig(long rate, Duration per, long burst, String key) {
}
