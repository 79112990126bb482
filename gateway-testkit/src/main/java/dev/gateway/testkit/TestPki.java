package dev.gateway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for tests: a CA, and certificates it issues with the names,
 * validity and purpose a test asks for (EC P-256 keys: fast to make). Files are PEM, keys PKCS#8.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;

    private TestPki(Issued ca) {
        this.ca = ca;
    }

    /** A new self-signed CA named {@code CN=name}. */
    public static TestPki ca(String name) {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        X509Certificate cert = build(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys.getPrivate(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3650)), List.of(), true, false, null);
        return new TestPki(new Issued(List.of(cert), keys.getPrivate()));
    }

    /** A self-signed server certificate for {@code names} (the first is also the common name), valid for a year. */
    public static Issued selfSigned(String... names) {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + names[0]);
        X509Certificate cert = build(subject, keys, subject, keys.getPrivate(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(365)), List.of(names), false, false, null);
        return new Issued(List.of(cert), keys.getPrivate());
    }

    public Issued authority() {
        return ca;
    }

    /** A server certificate for {@code names}, valid for a year from an hour ago. */
    public Issued server(String... names) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), false, names);
    }

    /** A server certificate for {@code names} whose authority information access names an OCSP responder. */
    public Issued serverWithOcsp(String ocspUrl, String... names) {
        Instant now = Instant.now();
        KeyPair keys = keyPair();
        X509Certificate cert = build(new X500Name("CN=" + names[0]), keys, issuerName(), ca.key(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), List.of(names), false, false, ocspUrl);
        return new Issued(List.of(cert, ca.certificate()), keys.getPrivate());
    }

    /** A client certificate (extended key usage clientAuth) with {@code CN=commonName} and {@code names} as SANs. */
    public Issued client(String commonName, String... names) {
        Instant now = Instant.now();
        KeyPair keys = keyPair();
        X509Certificate cert = build(new X500Name("CN=" + commonName), keys, issuerName(), ca.key(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), List.of(names), false, true, null);
        return new Issued(List.of(cert, ca.certificate()), keys.getPrivate());
    }

    /** A server certificate for {@code names} valid between the two instants (an expired one, say). */
    public Issued issue(Instant notBefore, Instant notAfter, boolean client, String... names) {
        KeyPair keys = keyPair();
        X509Certificate cert = build(new X500Name("CN=" + names[0]), keys, issuerName(), ca.key(), notBefore, notAfter,
                List.of(names), false, client, null);
        return new Issued(List.of(cert, ca.certificate()), keys.getPrivate());
    }

    private X500Name issuerName() {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    public static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey signer,
            Instant notBefore, Instant notAfter, List<String> dnsNames, boolean ca, boolean client, String ocspUrl) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter), subject,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        client ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            }
            if (!dnsNames.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            if (ocspUrl != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a test certificate", e);
        }
    }

    /** A certificate chain (leaf first) and the leaf's key. */
    public record Issued(List<X509Certificate> chain, PrivateKey key) {

        public X509Certificate certificate() {
            return chain.get(0);
        }

        public String certificatePem() {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate cert : chain) {
                try {
                    pem.append(pem("CERTIFICATE", cert.getEncoded()));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
            return pem.toString();
        }

        public String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }

        /** Writes the chain to {@code cert} and the key to {@code key} (replacing them). */
        public Issued write(Path cert, Path key) {
            try {
                Files.writeString(cert, certificatePem(), StandardCharsets.US_ASCII);
                Files.writeString(key, keyPem(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Writes the chain and key as {@code name.crt} and {@code name.key} in {@code dir}. */
        public Issued write(Path dir, String name) {
            return write(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }
}
