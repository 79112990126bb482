package dev.gateway.core.acme;

import dev.gateway.config.pem.CertificatePair;
import dev.gateway.config.pem.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The {@code [acme] storage} directory: the account key ({@code account.key}) and, per domain, the
 * certificate chain ({@code <domain>/cert.pem}) and its PKCS#8 key ({@code <domain>/key.pem}).
 * Keys are written 0600 (directories 0700); every file is written to a temporary name and renamed,
 * so a crash never leaves half a key and a restart reuses what was issued.
 */
final class AcmeStorage {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    AcmeStorage(Path dir) {
        this.dir = dir;
    }

    /** The account key pair, made and stored on first use. */
    KeyPair accountKey() throws IOException {
        Path file = dir.resolve("account.key");
        if (Files.isRegularFile(file)) {
            return KeyPairUtils.readKeyPair(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)));
        }
        KeyPair keys = KeyPairUtils.createECKeyPair("secp384r1");
        StringWriter pem = new StringWriter();
        KeyPairUtils.writeKeyPair(keys, pem);
        write(file, pem.toString(), true);
        return keys;
    }

    /** The stored certificate of {@code domain}, or null when there is none or it does not read. */
    CertificatePair certificate(String domain) {
        Path cert = dir.resolve(domain).resolve("cert.pem");
        Path key = dir.resolve(domain).resolve("key.pem");
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
            return null;
        }
        return PemFiles.pair(cert, key);
    }

    void store(String domain, CertificatePair pair) throws IOException {
        Path domainDir = dir.resolve(domain);
        StringBuilder chain = new StringBuilder();
        for (X509Certificate certificate : pair.chain()) {
            try {
                chain.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IOException(e);
            }
        }
        write(domainDir.resolve("key.pem"), pem("PRIVATE KEY", pair.key().getEncoded()), true);
        write(domainDir.resolve("cert.pem"), chain.toString(), false);
    }

    private void write(Path file, String content, boolean secret) throws IOException {
        createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (POSIX) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    secret ? "rw-------" : "rw-r--r--")));
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createDirectories(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(path);
        }
    }

    /** RFC 7468 textual encoding. */
    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    List<Path> files(String domain) {
        return List.of(dir.resolve(domain).resolve("cert.pem"), dir.resolve(domain).resolve("key.pem"));
    }
}
