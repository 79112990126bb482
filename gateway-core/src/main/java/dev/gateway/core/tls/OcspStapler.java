package dev.gateway.core.tls;

import dev.gateway.config.pem.CertificatePair;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OCSP stapling (RFC 6066 §8, RFC 6960) for the OpenSSL engine: for each served certificate that
 * names an OCSP responder (authority information access) and comes with its issuer, a response is
 * fetched off the event loops, checked (signed by the issuer or a responder it delegated to,
 * "good" for this serial, not stale) and handed to every new handshake that asks for it. It is
 * refreshed half-way to its nextUpdate (hourly without one); a failed fetch is retried in five
 * minutes and the last good response is stapled until it goes stale. The JDK engine staples
 * nothing: clients check revocation themselves.
 */
final class OcspStapler {

    private static final Logger log = LoggerFactory.getLogger(OcspStapler.class);
    private static final ASN1ObjectIdentifier OCSP_METHOD = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.1");
    private static final Duration RETRY = Duration.ofMinutes(5);
    private static final Duration WITHOUT_NEXT_UPDATE = Duration.ofHours(1);

    private final ScheduledExecutorService executor;
    /** HTTP/1.1: OCSP responders (RFC 6960 Appendix A) are plain HTTP servers, many without h2c upgrades */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    OcspStapler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** The staple of one served certificate: empty until a good response arrived, or when there is none to get. */
    static final class Staple {
        private final AtomicReference<Response> response = new AtomicReference<>();
        private volatile boolean stopped;

        /** The DER response to staple now, or null. */
        byte[] current() {
            Response r = response.get();
            return r == null || r.staleAt.isBefore(Instant.now()) ? null : r.der;
        }

        void stop() {
            stopped = true;
        }
    }

    private record Response(byte[] der, Instant staleAt) {
    }

    /** Starts keeping a staple for {@code pair}; returns one that stays empty when OCSP does not apply. */
    Staple start(String source, CertificatePair pair) {
        Staple staple = new Staple();
        Optional<URI> responder = responder(pair.leaf());
        if (responder.isEmpty() || pair.chain().size() < 2) {
            return staple;
        }
        executor.execute(() -> fetch(source, pair, responder.get(), staple));
        return staple;
    }

    private void fetch(String source, CertificatePair pair, URI responder, Staple staple) {
        if (staple.stopped) {
            return;
        }
        Duration next;
        try {
            Response response = request(pair.leaf(), pair.chain().get(1), responder);
            staple.response.set(response);
            Duration lifetime = Duration.between(Instant.now(), response.staleAt);
            next = lifetime.isNegative() ? RETRY : lifetime.dividedBy(2);
            log.debug("{}: OCSP response from {} stapled until {}", source, responder, response.staleAt);
        } catch (Exception e) {
            next = RETRY;
            log.warn("{}: no OCSP staple from {}: {}; retrying in {}s", source, responder,
                    e.getMessage() == null ? e.toString() : e.getMessage(), RETRY.toSeconds());
        }
        if (!staple.stopped && !executor.isShutdown()) {
            executor.schedule(() -> fetch(source, pair, responder, staple), next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private Response request(X509Certificate leaf, X509Certificate issuer, URI responder) throws Exception {
        X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                .get(CertificateID.HASH_SHA1), issuerHolder, leaf.getSerialNumber());
        byte[] body = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(responder)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("HTTP " + answer.statusCode());
        }
        OCSPResp resp = new OCSPResp(answer.body());
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IOException("OCSP response status " + resp.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        verifySignature(basic, issuerHolder);
        SingleResp single = null;
        for (SingleResp candidate : basic.getResponses()) {
            if (candidate.getCertID().equals(id)) {
                single = candidate;
            }
        }
        if (single == null) {
            throw new IOException("the response is not about serial " + leaf.getSerialNumber().toString(16));
        }
        if (single.getCertStatus() != CertificateStatus.GOOD) {
            throw new IOException("the certificate is not 'good' (revoked or unknown): not stapling that");
        }
        Date nextUpdate = single.getNextUpdate();
        Instant staleAt = nextUpdate != null ? nextUpdate.toInstant() : Instant.now().plus(WITHOUT_NEXT_UPDATE.multipliedBy(2));
        if (staleAt.isBefore(Instant.now())) {
            throw new IOException("the response is stale (nextUpdate " + staleAt + ")");
        }
        return new Response(resp.getEncoded(), staleAt);
    }

    /** RFC 6960 §4.2.2.2: signed by the issuer itself, or by a responder certificate the issuer signed for OCSP signing. */
    private static void verifySignature(BasicOCSPResp basic, X509CertificateHolder issuer)
            throws OCSPException, OperatorCreationException, CertificateException, IOException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer))) {
            return;
        }
        for (X509CertificateHolder responder : basic.getCerts()) {
            try {
                if (responder.isSignatureValid(verifiers.build(issuer))
                        && responder.getExtensions() != null
                        && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions())
                                .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)
                        && basic.isSignatureValid(verifiers.build(responder))) {
                    return;
                }
            } catch (org.bouncycastle.cert.CertException e) {
                // not this one
            }
        }
        throw new IOException("the response is not signed by the issuer or a responder it authorized");
    }

    /** The OCSP responder URL of the certificate's authority information access (RFC 5280 §4.2.2.1). */
    static Optional<URI> responder(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets()));
            for (AccessDescription description : access.getAccessDescriptions()) {
                GeneralName name = description.getAccessLocation();
                if (description.getAccessMethod().equals(OCSP_METHOD)
                        && name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = URI.create(name.getName().toString());
                    if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                        return Optional.of(uri);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable extension: nothing to staple
        }
        return Optional.empty();
    }

}
