package dev.gateway.balancer.targets;

/**
 * The result of one health check: passed or not, and what was seen ({@code status 200},
 * {@code connect refused}), for the operator's log line and the target's {@link TargetHealth}.
 */
public record ProbeResult(boolean passed, String reason) {

    private static final ProbeResult PASS = new ProbeResult(true, "ok");

    public static ProbeResult pass() {
        return PASS;
    }

    public static ProbeResult pass(String reason) {
        return new ProbeResult(true, reason);
    }

    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason);
    }
}
