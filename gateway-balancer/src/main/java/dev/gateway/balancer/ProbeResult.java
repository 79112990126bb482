package dev.gateway.balancer;

/** The result of one health check: passed or not, and why (for the operator's log line). */
public record ProbeResult(boolean passed, String reason) {

    private static final ProbeResult PASS = new ProbeResult(true, "ok");

    public static ProbeResult pass() {
        return PASS;
    }

    public static ProbeResult fail(String reason) {
        return new ProbeResult(false, reason);
    }
}
