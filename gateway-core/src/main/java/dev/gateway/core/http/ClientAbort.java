package dev.gateway.core.http;

/** Why an exchange was cut short by its client, as {@code gateway_client_aborts_total{reason}} labels it. */
public enum ClientAbort {
    /** the client closed the connection before the response was complete */
    CLOSED("closed"),
    /** the client was silent for body_timeout while it owed request body bytes */
    BODY_TIMEOUT("body_timeout"),
    /** the client took no response bytes for send_timeout */
    SEND_TIMEOUT("send_timeout"),
    /** the client sent a body the decoder could not read (a bad chunk) */
    MALFORMED_BODY("malformed_body");

    public final String label;

    ClientAbort(String label) {
        this.label = label;
    }
}
