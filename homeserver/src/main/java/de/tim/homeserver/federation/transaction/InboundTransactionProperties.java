package de.tim.homeserver.federation.transaction;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How instances sharing a database agree on who processes an inbound transaction.
 *
 * @param claimLease how long the claim of the instance processing a transaction lasts without renewal (default 60s);
 *                   the instance renews it every third of that while it works, so only a crashed or stuck instance
 *                   loses it, and another instance takes the transaction over when a retry arrives after the lease
 * @param claimWait  how long a retry that reaches an instance while another one processes the transaction waits for
 *                   the stored answer (default 20s, below usual request timeouts of senders) before it is answered
 *                   503 {@code M_UNKNOWN} (the sender retries the same transaction later and gets the stored answer)
 */
@ConfigurationProperties(InboundTransactionProperties.PREFIX)
public record InboundTransactionProperties(Duration claimLease, Duration claimWait) {

    public static final String PREFIX = "tim.homeserver.federation.inbound";

    public InboundTransactionProperties {
        claimLease = claimLease == null ? Duration.ofSeconds(60) : claimLease;
        claimWait = claimWait == null ? Duration.ofSeconds(20) : claimWait;
        if (claimLease.toMillis() < 300) {
            throw new IllegalArgumentException("claim-lease must be at least 300ms");
        }
        if (claimWait.isNegative()) {
            throw new IllegalArgumentException("claim-wait must not be negative");
        }
    }
}
