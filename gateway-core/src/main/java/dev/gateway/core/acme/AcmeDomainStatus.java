package dev.gateway.core.acme;

import java.time.Instant;

/**
 * One {@code [acme]} domain as {@code /status} shows it.
 *
 * @param state "pending" (nothing issued yet), "valid" (a certificate is served) or "expired"
 * @param renewAt when the next renewal is due (null before the first issue)
 * @param nextAttempt when the ACME client will next talk to the CA for it
 * @param failures failed attempts in a row (0 after a success)
 */
public record AcmeDomainStatus(String domain, String state, Instant notAfter, Instant renewAt, Instant lastAttempt,
        String lastError, int failures, Instant nextAttempt) {
}
