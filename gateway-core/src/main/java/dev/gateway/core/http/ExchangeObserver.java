package dev.gateway.core.http;

/**
 * Told about every exchange once, when it ends for whatever reason (response written, client gone,
 * connection closed): the access log and the request metrics. Called on the connection's event
 * loop, so it must be cheap and must not block.
 */
@FunctionalInterface
public interface ExchangeObserver {

    void completed(Exchange exchange);
}
