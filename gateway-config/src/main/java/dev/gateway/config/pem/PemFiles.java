package dev.gateway.config.pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468) with the JDK alone: certificate chains and unencrypted PKCS#8 private
 * keys. Every failure is an {@link IllegalArgumentException} whose message names the file and says
 * what is wrong, ready to be a configuration problem or a refused rotation.
 */
public final class PemFiles {

    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]*)-----END \\1PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private PemFiles() {
    }

    /** The certificates of a PEM file, in file order (the leaf first for a server chain); never empty. */
    public static List<X509Certificate> certificates(Path file) {
        byte[] bytes = read(file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            // The JDK's factory reads PEM (RFC 7468 §5) and DER, several in a row.
            factory.generateCertificates(new ByteArrayInputStream(bytes))
                    .forEach(c -> chain.add((X509Certificate) c));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("file " + file + " is not a PEM certificate chain ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("file " + file + " has no certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(chain);
    }

    /** The private key of a PEM file in unencrypted PKCS#8 form (RFC 5208, RFC 7468 §10). */
    public static PrivateKey privateKey(Path file) {
        String text = new String(read(file), StandardCharsets.US_ASCII);
        Matcher matcher = KEY.matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("file " + file + " has no private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        if (!matcher.group(1).isEmpty()) {
            throw new IllegalArgumentException("file " + file + " has a '" + matcher.group(1).trim() + " PRIVATE KEY'; "
                    + "expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----; convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8')");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file " + file + " has a private key that is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("file " + file + " has a private key this JVM cannot read "
                + "(expected RSA, EC or EdDSA in PKCS#8)");
    }

    /** A certificate chain and its key, checked to belong together. */
    public static CertificatePair pair(Path cert, Path key) {
        List<X509Certificate> chain = certificates(cert);
        PrivateKey privateKey = privateKey(key);
        if (!matches(privateKey, chain.get(0))) {
            throw new IllegalArgumentException("the key " + key + " does not match the certificate " + cert);
        }
        return new CertificatePair(chain, privateKey);
    }

    /** True when {@code key} signs what the certificate's public key verifies: the two are one key pair. */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key against an EC certificate
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("file " + file + " is not readable");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
