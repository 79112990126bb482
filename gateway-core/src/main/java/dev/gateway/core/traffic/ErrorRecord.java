package dev.gateway.core.traffic;

/**
 * One response of the recent-errors list: a 5xx, or a 4xx the gateway produced itself.
 *
 * @param epochMillis when the exchange ended
 * @param traceId the trace id, or null with tracing off
 * @param route the route name as the access log writes it ({@code -}: none matched)
 * @param target the target of the last attempt, or null
 * @param reason why, in a few words: {@code target failed}, {@code rate limited}, {@code from target}, ...
 */
public record ErrorRecord(long epochMillis, String requestId, String traceId, int status, String method, String path,
                          String route, String target, String clientIp, String reason, double durationMs) {
}
