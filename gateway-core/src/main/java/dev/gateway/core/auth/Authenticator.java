package dev.gateway.core.auth;

import dev.gateway.proxy.Downstream;
import dev.gateway.proxy.Forwarder;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;

/** A route's authentication: {@link BasicAuth} or {@link ForwardAuth}. */
public interface Authenticator {

    /** The outcome, told exactly once, on the client connection's event loop (maybe before {@code authenticate} returns). */
    interface Verdict {
        /** The request may go on (its headers may have been changed: credentials removed, identity added). */
        void admit();

        /** The request is answered with {@code response} (401, 503, or the auth service's own answer). */
        void refuse(FullHttpResponse response);
    }

    /**
     * Called on the client connection's event loop; never blocks it.
     *
     * @param forwarder the proxy, for subrequests over its pooled connections
     */
    void authenticate(HttpRequest request, Downstream client, Forwarder forwarder, Verdict verdict);
}
