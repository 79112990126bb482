package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.List;

/**
 * The client address picks the target, so a client keeps landing on the same one while the pool
 * does not change; an unusable target passes its clients on to the next one along.
 */
final class IpHashPicker implements Picker {

    private final Eligibility eligibility;

    IpHashPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        long hash = HashKey.hash(key.clientIp());
        return eligibility.firstFrom((int) Long.remainderUnsigned(hash, size), tried, mode);
    }
}
