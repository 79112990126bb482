package dev.gateway.config.load;

import dev.gateway.config.AcmeConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.TableReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [acme]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * email       none                      account contact
 * directory   Let's Encrypt production  an https URL (staging: {@link AcmeConfig#LETS_ENCRYPT_STAGING})
 * domains     the exact host of every route (none with a '*')
 * storage     required                  a directory; created when missing
 * challenge   http-01                   http-01 (needs server.tls.redirect_from) | tls-alpn-01
 * ca_roots    []                        PEM files trusted for the ACME server's own https
 * </pre>
 */
final class AcmeReader {

    static final Set<String> KEYS = Set.of("email", "directory", "domains", "storage", "challenge", "ca_roots");
    private static final List<String> CHALLENGES = List.of("http-01", "tls-alpn-01");
    private static final String DNS_NAME = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+";

    private AcmeReader() {
    }

    static Optional<AcmeConfig> read(TableReader acme, List<RouteConfig> routes, boolean tls, boolean redirectFrom) {
        if (!acme.present()) {
            return Optional.empty();
        }
        if (!tls) {
            acme.problem("[acme] needs [server.tls]: the certificates are served by the TLS listener");
        }
        Optional<String> email = acme.optional("email", v -> {
            String text = v.string();
            if (!text.matches("[^@\\s]+@[^@\\s]+")) {
                throw new IllegalArgumentException("'" + text + "' is not an email address");
            }
            return text;
        });
        URI directory = acme.get("directory", AcmeConfig.LETS_ENCRYPT, AcmeReader::httpsUrl);
        List<String> domains = acme.list("domains", null, AcmeReader::domain);
        if (domains == null) {
            Set<String> hosts = new LinkedHashSet<>();
            routes.forEach(route -> route.host().filter(h -> !h.contains("*"))
                    .ifPresent(h -> hosts.add(h.toLowerCase(Locale.ROOT))));
            domains = List.copyOf(hosts);
            if (domains.isEmpty()) {
                acme.problem("no domains: set acme.domains or give routes an exact host");
            }
        } else if (domains.isEmpty() && acme.get("domains", List.of(), ConfigValue::elements).isEmpty()) {
            acme.problem("domains", "no domains (leave the key out to use the exact hosts of the routes)");
        }
        Path storage = acme.required("storage", AcmeReader::storage);
        String challenge = acme.has("challenge") ? acme.get("challenge", null, v -> v.choice(CHALLENGES))
                : CHALLENGES.get(0);
        AcmeConfig.Challenge kind = "tls-alpn-01".equals(challenge) ? AcmeConfig.Challenge.TLS_ALPN_01
                : AcmeConfig.Challenge.HTTP_01;
        if ("http-01".equals(challenge) && tls && !redirectFrom) {
            acme.problem("challenge", "http-01 is answered on server.tls.redirect_from, which is not set "
                    + "(set it, e.g. \"0.0.0.0:80\", or use challenge = \"tls-alpn-01\")");
        }
        List<Path> caRoots = acme.list("ca_roots", List.of(), TlsReader::certificateBundle);
        return Optional.of(new AcmeConfig(email, directory, domains, storage, kind, caRoots));
    }

    private static URI httpsUrl(ConfigValue value) {
        String text = value.string();
        try {
            URI uri = new URI(text);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("'" + text + "' is not an https URL (RFC 8555 §6.1: ACME runs over https)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static String domain(ConfigValue value) {
        String name = value.string().toLowerCase(Locale.ROOT);
        if (name.startsWith("*.")) {
            throw new IllegalArgumentException("'" + name + "' is a wildcard; http-01 and tls-alpn-01 cannot prove "
                    + "one (RFC 8555 §7.1.3: wildcards need dns-01)");
        }
        if (!name.matches(DNS_NAME)) {
            throw new IllegalArgumentException("'" + name + "' is not a DNS name with a dot (expected e.g. \"example.com\")");
        }
        return name;
    }

    private static Path storage(ConfigValue value) {
        Path dir = value.ctx().resolve(value.string());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        if (Files.isDirectory(dir) && !Files.isWritable(dir)) {
            throw new IllegalArgumentException("directory " + dir + " is not writable");
        }
        return dir;
    }
}
