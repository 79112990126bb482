package dev.gateway.config.load;

import dev.gateway.config.BasicAuthConfig;
import dev.gateway.config.ForwardAuthConfig;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a route's {@code basic_auth} and {@code forward_auth}.
 *
 * <p>DEFAULTS:
 * <pre>
 * basic_auth.users                  required   htpasswd file of bcrypt hashes (htpasswd -B), re-read on reload
 * basic_auth.realm                  "restricted"
 * basic_auth.forward_authorization  false      true: the Authorization header reaches the target
 * forward_auth.url                  required   http(s)://host[:port]/path[?query]
 * forward_auth.copy_request_headers ["Authorization", "Cookie"]
 * forward_auth.copy_response_headers []
 * forward_auth.timeout              "5s"       the whole subrequest; beyond it 503
 * </pre>
 */
final class AuthReaders {

    static final String DEFAULT_REALM = "restricted";
    static final Duration DEFAULT_FORWARD_AUTH_TIMEOUT = Duration.ofSeconds(5);
    static final List<String> DEFAULT_COPY_REQUEST_HEADERS = List.of("Authorization", "Cookie");
    private static final Set<String> BASIC_KEYS = Set.of("users", "realm", "forward_authorization");
    private static final Set<String> FORWARD_KEYS = Set.of("url", "copy_request_headers", "copy_response_headers",
            "timeout");

    private AuthReaders() {
    }

    static BasicAuthConfig basic(ConfigValue value) {
        TableReader table = value.table(BASIC_KEYS);
        Path users = table.required("users", ServerReader::readableFile);
        Map<String, String> hashes = users == null ? null
                : table.get("users", null, v -> HtpasswdFile.read(v, users));
        String realm = table.get("realm", DEFAULT_REALM, AuthReaders::realm);
        boolean forward = table.bool("forward_authorization", false);
        return hashes == null ? null : new BasicAuthConfig(users, realm, forward, hashes);
    }

    /** RFC 7617 §2: the realm is a quoted-string; kept to printable ASCII without quotes or backslashes. */
    private static String realm(ConfigValue value) {
        String realm = value.string();
        if (realm.isEmpty() || realm.length() > 128) {
            throw new IllegalArgumentException("expected 1-128 characters");
        }
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("'" + realm + "' may only hold printable ASCII without '\"' or '\\'");
            }
        }
        return realm;
    }

    /** The pool name is settled with the route's name ({@link ForwardAuthConfig#withUpstream}). */
    static ForwardAuthConfig forward(ConfigValue value) {
        TableReader table = value.table(FORWARD_KEYS);
        ForwardAuthConfig.Url url = table.required("url", v -> url(v.string()));
        List<String> copyRequest = table.list("copy_request_headers", DEFAULT_COPY_REQUEST_HEADERS,
                HeaderRulesReader::headerName);
        List<String> copyResponse = table.list("copy_response_headers", List.of(), HeaderRulesReader::headerName);
        Duration timeout = table.duration("timeout", DEFAULT_FORWARD_AUTH_TIMEOUT);
        return url == null ? null
                : new ForwardAuthConfig(url.text(), url.target(), "", url.requestTarget(), copyRequest, copyResponse,
                        timeout);
    }


    /** {@code http(s)://host[:port]} as for targets, then a path (default "/") and an optional query. */
    private static ForwardAuthConfig.Url url(String text) {
        int scheme = text.indexOf("://");
        int pathStart = scheme < 0 ? -1 : indexOfAny(text, "/?#", scheme + 3);
        String server = pathStart < 0 ? text : text.substring(0, pathStart);
        String rest = pathStart < 0 ? "/" : text.substring(pathStart);
        if (rest.indexOf('#') >= 0) {
            throw new IllegalArgumentException("'" + text + "' has a fragment");
        }
        if (rest.startsWith("?")) {
            rest = "/" + rest;
        }
        if (!HttpSyntax.isHeaderValue(rest) || rest.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("'" + text + "' contains spaces or line breaks (percent-encode them)");
        }
        TargetConfig target = TargetUrls.parse(server, 1);
        return new ForwardAuthConfig.Url(text, target, rest);
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
