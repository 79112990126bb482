package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.UpstreamConfig;
import java.util.List;

/**
 * One load-balancing strategy: picks the index of a target that {@link Eligibility} accepts. Picks
 * are lock-free and allocate nothing; whatever a strategy needs is precomputed at construction.
 */
public interface Picker {

    /**
     * @param mode {@link Eligibility} flags saying which targets may be picked
     * @return the index of the chosen target, or -1 when none is acceptable
     */
    int pick(RequestKey key, List<Target> tried, int mode);

    /** Learns from one attempt's outcome; most strategies do not need to. */
    default void record(int index, Outcome outcome) {
    }

    static Picker create(UpstreamConfig config, Eligibility eligibility) {
        return switch (config.strategy()) {
            case ROUND_ROBIN -> new RoundRobinPicker(eligibility);
            case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobinPicker(eligibility);
            case LEAST_CONNECTIONS -> new LeastConnectionsPicker(eligibility);
            case RANDOM -> new RandomPicker(eligibility);
            case POWER_OF_TWO -> new PowerOfTwoPicker(eligibility);
            case IP_HASH -> new IpHashPicker(eligibility);
            case CONSISTENT_HASH -> new ConsistentHashPicker(eligibility, HashKey.parse(config.hashKey()));
            case LEAST_RESPONSE_TIME -> new LeastResponseTimePicker(eligibility);
        };
    }
}
