package dev.gateway.balancer.targets;

import java.time.Instant;

/**
 * What active health checks concluded about one target, published whole with one volatile write so
 * a status page or a metrics scrape never pairs the state of one check with the reason of another.
 *
 * @param healthy     whether health checks keep the target in rotation (its breaker decides separately)
 * @param reason      why it is in that state, e.g. {@code 3 failed checks (last: connect refused)}
 * @param since       when it entered that state (for a target never marked down: when it was created)
 * @param lastCheck   the latest check's result, or null before the first check (and without health checks)
 * @param lastCheckAt when that result arrived, or null likewise
 */
public record TargetHealth(boolean healthy, String reason, Instant since, ProbeResult lastCheck, Instant lastCheckAt) {

    static TargetHealth initial(Instant now) {
        return new TargetHealth(true, "not checked yet", now, null, null);
    }

    /** The same state with a newer check result. */
    public TargetHealth checked(ProbeResult result, Instant at) {
        return new TargetHealth(healthy, reason, since, result, at);
    }

    /** A change of state, caused by the check that arrived {@code at}. */
    public TargetHealth changed(boolean nowHealthy, String why, ProbeResult result, Instant at) {
        return new TargetHealth(nowHealthy, why, at, result, at);
    }
}
