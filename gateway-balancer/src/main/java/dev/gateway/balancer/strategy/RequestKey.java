package dev.gateway.balancer.strategy;

/** What hash-based strategies may key on; implemented over the request by the proxy. */
public interface RequestKey {

    String clientIp();

    String path();

    /** A request header's value, or null. */
    String header(String name);

    /** A cookie's value, or null. */
    String cookie(String name);
}
