package dev.gateway.core.acme;

import dev.gateway.config.AcmeConfig;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.core.tls.AcmeChallenges;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One certificate issue through acme4j (RFC 8555 §7): log in with the stored account key (the
 * account is created on first use, agreeing to the CA's terms), order the domain, answer each
 * pending authorization with the configured challenge (offered on the listeners through
 * {@link AcmeChallenges} only while the CA validates it), finalize with a fresh key, download the
 * chain. Blocking: it runs on the ACME thread, never an event loop.
 */
final class AcmeClient {

    private static final Logger log = LoggerFactory.getLogger(AcmeClient.class);
    /** How long the CA may take to validate a challenge or to issue. */
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final AcmeConfig config;
    private final AcmeStorage storage;
    private final AcmeChallenges challenges;
    private Login login;

    AcmeClient(AcmeConfig config, AcmeStorage storage, AcmeChallenges challenges) {
        this.config = config;
        this.storage = storage;
        this.challenges = challenges;
    }

    CertificatePair issue(String domain) throws AcmeException, IOException, GeneralSecurityException,
            InterruptedException {
        Order order = login().newOrder().domain(domain).create();
        for (Authorization authorization : order.getAuthorizations()) {
            if (authorization.getStatus() != Status.VALID) {
                authorize(domain, authorization);
            }
        }
        KeyPair domainKey = KeyPairUtils.createECKeyPair("secp256r1");
        order.execute(domainKey); // RFC 8555 §7.4: the CSR, signed with the new key
        Status status = order.waitForCompletion(WAIT);
        if (status != Status.VALID) {
            throw new AcmeException("order for " + domain + " ended " + status
                    + order.getError().map(p -> ": " + p).orElse(""));
        }
        java.util.List<X509Certificate> chain = order.getCertificate().getCertificateChain();
        return new CertificatePair(chain, domainKey.getPrivate());
    }

    private void authorize(String domain, Authorization authorization) throws AcmeException, IOException,
            InterruptedException {
        Challenge challenge;
        if (config.challenge() == AcmeConfig.Challenge.HTTP_01) {
            Http01Challenge http = authorization.findChallenge(Http01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no http-01 challenge for " + domain));
            challenges.offerHttp01(http.getToken(), http.getAuthorization());
            challenge = http;
        } else {
            TlsAlpn01Challenge alpn = authorization.findChallenge(TlsAlpn01Challenge.class)
                    .orElseThrow(() -> new AcmeException("the CA offers no tls-alpn-01 challenge for " + domain));
            // acme4j signs the validation certificate with SHA256withRSA: an RSA key it must be
            KeyPair keys = KeyPairUtils.createKeyPair(2048);
            challenges.offerTlsAlpn01(domain, keys, alpn.createCertificate(keys, Identifier.dns(domain)));
            challenge = alpn;
        }
        try {
            log.info("acme: proving control of {} by {}", domain, challenge.getType());
            challenge.trigger();
            Status status = challenge.waitForCompletion(WAIT);
            if (status != Status.VALID) {
                throw new AcmeException(challenge.getType() + " for " + domain + " ended " + status
                        + challenge.getError().map(p -> ": " + p).orElse(""));
            }
        } finally {
            if (challenge instanceof Http01Challenge) {
                challenges.withdrawHttp01(((Http01Challenge) challenge).getToken());
            } else {
                challenges.withdrawTlsAlpn01(domain);
            }
        }
    }

    private Login login() throws AcmeException, IOException, GeneralSecurityException {
        if (login == null) {
            Session session = new Session(config.directory(), new AcmeTrust(config.caRoots()));
            AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(storage.accountKey());
            config.email().ifPresent(account::addEmail);
            login = account.createLogin(session); // RFC 8555 §7.3: finds the account when it exists
            log.info("acme: account {} at {}", login.getAccountLocation(), config.directory());
        }
        return login;
    }
}
