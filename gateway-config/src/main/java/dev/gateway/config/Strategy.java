package dev.gateway.config;

/** Load-balancing strategy of an upstream pool. */
public enum Strategy {
    ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_CONNECTIONS, RANDOM, POWER_OF_TWO, IP_HASH,
    CONSISTENT_HASH, LEAST_RESPONSE_TIME
}
