package dev.gateway.core.auth;

import dev.gateway.config.BasicAuthConfig;
import dev.gateway.proxy.Downstream;
import dev.gateway.proxy.Forwarder;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * {@code basic_auth}: HTTP Basic authentication (RFC 7617) against the users of an htpasswd file.
 * A request without valid credentials gets {@code 401} with {@code WWW-Authenticate}. Checks run
 * on the {@link BcryptPool}, never on an event loop; a user not in the file is checked against a
 * decoy hash of the same cost, so the answer time does not tell which names exist. Successes are
 * remembered briefly ({@link VerifiedCredentials}). The {@code Authorization} header is removed
 * before the request goes on unless {@code forward_authorization = true}.
 */
public final class BasicAuth implements Authenticator {

    private final Map<String, String> hashes;
    private final String challenge;
    private final boolean forwardAuthorization;
    private final String decoy;
    private final BcryptPool pool;
    private final VerifiedCredentials verified = new VerifiedCredentials();

    /** Built off the event loops (the decoy hash costs one bcrypt round). */
    public BasicAuth(BasicAuthConfig config) {
        this(config, BcryptPool.shared());
    }

    BasicAuth(BasicAuthConfig config, BcryptPool pool) {
        this.hashes = config.hashes();
        this.challenge = "Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\"";
        this.forwardAuthorization = config.forwardAuthorization();
        this.pool = pool;
        String any = hashes.values().iterator().next();
        this.decoy = BcryptPool.decoy(Integer.parseInt(any.substring(4, 6)));
    }

    @Override
    public void authenticate(HttpRequest request, Downstream client, Forwarder forwarder, Verdict verdict) {
        BasicCredentials credentials = BasicCredentials.parse(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (credentials == null) {
            verdict.refuse(unauthorized(client));
            return;
        }
        String known = hashes.get(credentials.user());
        String hash = known != null ? known : decoy;
        String key = verified.key(credentials.user(), credentials.password(), hash);
        if (known != null && verified.contains(key, System.nanoTime())) {
            admit(request, verdict);
            return;
        }
        EventLoop loop = client.context().channel().eventLoop();
        pool.verify(credentials.password(), hash, result -> loop.execute(() -> {
            if (result == BcryptPool.MATCH && known != null) {
                verified.add(key, System.nanoTime());
                admit(request, verdict);
            } else if (result == BcryptPool.BUSY) {
                FullHttpResponse busy = client.error(HttpResponseStatus.SERVICE_UNAVAILABLE);
                busy.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
                verdict.refuse(busy);
            } else {
                verdict.refuse(unauthorized(client));
            }
        }));
    }

    private void admit(HttpRequest request, Verdict verdict) {
        if (!forwardAuthorization) {
            request.headers().remove(HttpHeaderNames.AUTHORIZATION);
        }
        verdict.admit();
    }

    private FullHttpResponse unauthorized(Downstream client) {
        FullHttpResponse response = client.error(HttpResponseStatus.UNAUTHORIZED);
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        return response;
    }
}
