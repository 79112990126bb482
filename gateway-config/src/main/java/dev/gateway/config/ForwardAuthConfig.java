package dev.gateway.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code forward_auth}: each request is first sent (head only, as a GET) to an authentication
 * service; a 2xx lets it through, any other answer goes back to the client.
 *
 * @param url the service URL as written
 * @param target the service's scheme, host and port
 * @param upstream the pool the subrequests go to: {@code auth:<route name>}, one target
 * @param requestTarget the path and query the subrequest asks for
 * @param copyRequestHeaders request headers sent along to the service
 * @param copyResponseHeaders headers of a 2xx answer set on the forwarded request (the client's own removed)
 * @param timeout the whole subrequest, connect included; beyond it the client gets 503
 */
public record ForwardAuthConfig(String url, TargetConfig target, String upstream, String requestTarget, List<String> copyRequestHeaders,
                                List<String> copyResponseHeaders, Duration timeout) {

    public ForwardAuthConfig {
        copyRequestHeaders = List.copyOf(copyRequestHeaders);
        copyResponseHeaders = List.copyOf(copyResponseHeaders);
    }

    /** The same, for the pool of the route once its name is known. */
    public ForwardAuthConfig withUpstream(String name) {
        return new ForwardAuthConfig(url, target, name, requestTarget, copyRequestHeaders, copyResponseHeaders, timeout);
    }

    /** A parsed {@code url}: the server, and the path and query asked for. */
    public record Url(String text, TargetConfig target, String requestTarget) {
    }
}
