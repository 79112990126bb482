package dev.gateway.config.load;

import dev.gateway.config.CertificateFiles;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.config.pem.PemFiles;
import dev.gateway.config.toml.ReadContext;
import dev.gateway.config.toml.TableReader;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code --check} proves about certificate files beyond "readable": each chain and key parse
 * and belong together, and no DNS name is claimed by two certificates (SNI could not choose).
 * Expiry is not a load problem: the certificate store refuses expired pairs at run time, so the
 * rest of a reload still applies.
 */
final class CertificateChecks {

    private CertificateChecks() {
    }

    /** The files when they parse and match, else null with the problem at {@code cert} or {@code key}. */
    static CertificateFiles pair(TableReader table, CertificateFiles files) {
        X509Certificate leaf = null;
        PrivateKey key = null;
        try {
            leaf = PemFiles.certificates(files.cert()).get(0);
        } catch (IllegalArgumentException e) {
            table.problem("cert", e.getMessage());
        }
        try {
            key = PemFiles.privateKey(files.key());
        } catch (IllegalArgumentException e) {
            table.problem("key", e.getMessage());
        }
        if (leaf == null || key == null) {
            return null;
        }
        if (!PemFiles.matches(key, leaf)) {
            table.problem("key", "the key " + files.key() + " does not match the certificate " + files.cert());
            return null;
        }
        return files;
    }

    /** One problem per name that a later certificate shares with an earlier one. */
    static void noSharedNames(ReadContext ctx, List<CertificateFiles> certificates) {
        Map<String, String> owners = new HashMap<>();
        for (CertificateFiles files : certificates) {
            List<String> names;
            try {
                names = CertificatePair.names(PemFiles.certificates(files.cert()).get(0));
            } catch (IllegalArgumentException e) {
                continue; // reported by pair()
            }
            for (String name : names) {
                String owner = owners.putIfAbsent(name, files.keyPath());
                if (owner != null && !owner.equals(files.keyPath())) {
                    ctx.problem(files.keyPath() + ".cert", "name '" + name + "' is also a name of the certificate of "
                            + owner + "; a name may belong to one certificate only");
                }
            }
        }
    }
}
