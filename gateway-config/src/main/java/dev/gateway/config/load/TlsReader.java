package dev.gateway.config.load;

import dev.gateway.config.CertificateFiles;
import dev.gateway.config.HostPort;
import dev.gateway.config.TlsConfig;
import dev.gateway.config.pem.PemFiles;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [server.tls]} and its {@code [[server.tls.certificates]]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * cert, key        none      the default certificate; required unless [acme] provides certificates
 * certificates     []        more { cert, key } pairs, chosen by SNI
 * redirect_from    none      plain-HTTP listener: 308 to https, and ACME http-01
 * provider         auto      auto | openssl | jdk
 * min_version      TLSv1.2   TLSv1.2 | TLSv1.3
 * ciphers          Mozilla intermediate (see {@link TlsConfig#INTERMEDIATE_CIPHERS})
 * client_auth      none      none | optional | require; optional and require need client_ca
 * client_ca        none      PEM bundle of client CAs
 * </pre>
 *
 * <p>Every certificate and key is parsed and matched here, so {@code --check} finds a broken or
 * mismatched pair and two certificates claiming one name ({@link CertificateChecks}).
 */
final class TlsReader {

    static final Set<String> KEYS = Set.of("cert", "key", "certificates", "redirect_from", "provider", "min_version",
            "ciphers", "client_auth", "client_ca");
    private static final Set<String> PAIR_KEYS = Set.of("cert", "key");

    private TlsReader() {
    }

    /** @param acme whether {@code [acme]} is present: then {@code cert} and {@code key} may be left out */
    static Optional<TlsConfig> read(TableReader tls, boolean acme) {
        if (!tls.present()) {
            return Optional.empty();
        }
        Optional<CertificateFiles> main = Optional.empty();
        if (tls.has("cert") || tls.has("key") || !acme) {
            main = Optional.ofNullable(pair(tls));
        }
        List<CertificateFiles> more = new ArrayList<>();
        for (TableReader entry : tls.tables("certificates", PAIR_KEYS)) {
            CertificateFiles files = pair(entry);
            if (files != null) {
                more.add(files);
            }
        }
        Optional<HostPort> redirectFrom = tls.optional("redirect_from", v -> ListenAddresses.parse(v.string()));
        TlsConfig.ClientAuth clientAuth = tls.choice("client_auth", TlsConfig.ClientAuth.NONE);
        Optional<Path> clientCa = tls.optional("client_ca", TlsReader::certificateBundle);
        if (clientAuth != TlsConfig.ClientAuth.NONE && clientCa.isEmpty() && !tls.has("client_ca")) {
            tls.problem("client_auth", "client_auth = \"" + ConfigValue.snakeCase(clientAuth)
                    + "\" needs client_ca (a PEM file of the CAs client certificates must chain to)");
        }
        TlsConfig config = new TlsConfig(main, more, redirectFrom,
                tls.choice("provider", TlsConfig.Provider.AUTO),
                tls.choice("min_version", TlsConfig.VERSIONS.get(0), TlsConfig.VERSIONS),
                tls.list("ciphers", TlsConfig.INTERMEDIATE_CIPHERS, ConfigValue::string),
                clientAuth, clientCa);
        if (config.ciphers().isEmpty()) {
            tls.problem("ciphers", "no cipher suites (leave the key out for Mozilla's intermediate list)");
        }
        CertificateChecks.noSharedNames(tls.ctx(), config.allCertificates());
        return Optional.of(config);
    }

    /** {@code cert} and {@code key} of one table, parsed and matched; null (with problems) when unusable. */
    static CertificateFiles pair(TableReader table) {
        Path cert = table.required("cert", ServerReader::readableFile);
        Path key = table.required("key", ServerReader::readableFile);
        if (cert == null || key == null) {
            return null;
        }
        return CertificateChecks.pair(table, new CertificateFiles(cert, key, table.path()));
    }

    /** A readable PEM file of one or more CA certificates. */
    static Path certificateBundle(ConfigValue value) {
        Path file = ServerReader.readableFile(value);
        PemFiles.certificates(file);
        return file;
    }
}
