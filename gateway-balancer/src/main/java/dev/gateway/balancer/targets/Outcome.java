package dev.gateway.balancer.targets;

/**
 * What happened to one attempt at a target, reported back to its pool so strategies and breakers
 * can learn from real traffic.
 *
 * @param status HTTP status of the response, or 0 when there was none
 * @param latencyNanos from sending the request to the end of the response (or the failure)
 */
public record Outcome(Kind kind, int status, long latencyNanos) {

    /** Kinds of results; every kind but {@code RESPONSE} means no usable response arrived. */
    public enum Kind {
        /** a complete response arrived (its status may still count as a failure) */
        RESPONSE,
        /** the connection could not be opened (refused, unreachable, DNS) */
        CONNECT_FAILURE,
        /** the connection was not opened within connect_timeout */
        CONNECT_TIMEOUT,
        /** reset or closed before a complete response */
        RESET,
        /** the target said it did not process the request (an HTTP/2 stream refused, or past a GOAWAY) */
        REFUSED,
        /** no response within the route's timeout */
        TIMEOUT,
        /** the target sent something that is not valid HTTP */
        INVALID_RESPONSE,
        /** the client went away, so the attempt says nothing about the target */
        CANCELLED
    }

    public static Outcome response(int status, long latencyNanos) {
        return new Outcome(Kind.RESPONSE, status, latencyNanos);
    }

    public static Outcome failure(Kind kind, long latencyNanos) {
        return new Outcome(kind, 0, latencyNanos);
    }
}
