package dev.gateway.core.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Refuses (403) a state-changing request that a browser sent on behalf of another site's page: any
 * page can {@code fetch('http://127.0.0.1:9901/reload', {method: 'POST', mode: 'no-cors'})}, and
 * without a token on loopback that would reload. Browsers say where such a request comes from:
 * {@code Origin} (RFC 6454 §7; sent with every non-GET/HEAD fetch) must be the listener's own
 * {@code http://<Host>}, and {@code Sec-Fetch-Site} (W3C Fetch Metadata) must not be
 * {@code cross-site} or {@code same-site}. Tools such as curl send neither and are not affected;
 * GET and HEAD change nothing and are left to the Host check.
 */
final class CrossSiteRequests {

    private static final AsciiString SEC_FETCH_SITE = AsciiString.cached("sec-fetch-site");

    private CrossSiteRequests() {
    }

    static boolean refused(HttpRequest request) {
        HttpMethod method = request.method();
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return false;
        }
        HttpHeaders headers = request.headers();
        String own = "http://" + headers.get(HttpHeaderNames.HOST);
        for (String origin : headers.getAll(HttpHeaderNames.ORIGIN)) {
            if (!origin.trim().equalsIgnoreCase(own)) {
                return true;
            }
        }
        for (String site : headers.getAll(SEC_FETCH_SITE)) {
            String value = site.trim();
            if (value.equalsIgnoreCase("cross-site") || value.equalsIgnoreCase("same-site")) {
                return true;
            }
        }
        return false;
    }
}
