package de.tim.homeserver.federation.transaction;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import de.tim.matrix.error.MatrixException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Which instance processes an inbound transaction ({@link InboundTransactionRepository}): the first to claim it
 * (origin, txn id) in the shared database; a copy arriving at another instance meanwhile waits for the stored answer
 * (polling the document on the request's virtual thread, at most {@code claim-wait}, then 503 so the sender retries).
 * The owner renews its claims every third of {@code claim-lease} (this job); a claim not renewed within the lease (its
 * instance crashed or hangs) is taken over by the next copy that arrives, by exactly one instance.
 */
@Component
class InboundTransactionClaims extends PeriodicDomainJob {

    /**
     * Counter of copies that found the transaction claimed by another instance, tag {@code state}: {@code waiting}
     * (counted when a wait begins), {@code answered} (the wait ended with the stored answer), {@code timed_out}
     * (503 after {@code claim-wait}), {@code taken_over} (an expired claim was taken over, with or without a wait).
     */
    static final String CLAIMED_ELSEWHERE = "tim.homeserver.federation.inbound.claimed_elsewhere";
    private static final long FIRST_PAUSE_MS = 20;
    private static final long MAX_PAUSE_MS = 500;

    /** A transaction this instance processes. */
    record Claim(Domain domain, String origin, String txnId) {
    }

    /** What a copy of a transaction gets: the stored answer, or the claim to process it (exactly one is set). */
    record Acquired(String answer, Claim claim) {
    }

    private final InboundTransactionRepository transactions;
    private final InboundTransactionProperties properties;
    private final MeterRegistry meters;
    private final String instance = UUID.randomUUID().toString();
    private final Set<Claim> held = ConcurrentHashMap.newKeySet();

    InboundTransactionClaims(DomainRegistry registry, InboundTransactionRepository transactions,
            InboundTransactionProperties properties, ObjectProvider<MeterRegistry> meters) {
        super("inbound-txn-claims", registry, () -> properties.claimLease().dividedBy(3), false);
        this.transactions = transactions;
        this.properties = properties;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    /**
     * The stored answer of the transaction, or the claim to process it; waits while another instance processes it.
     *
     * @throws MatrixException 503 {@code M_UNKNOWN} when another instance still processes it after {@code claim-wait}
     */
    Acquired acquire(Domain domain, String origin, String txnId) {
        long deadline = System.currentTimeMillis() + properties.claimWait().toMillis();
        long pause = FIRST_PAUSE_MS;
        boolean elsewhere = false;
        while (true) {
            long now = System.currentTimeMillis();
            long until = now + properties.claimLease().toMillis();
            Optional<InboundTransactionRepository.Stored> stored = transactions.find(domain.database(), origin, txnId);
            if (stored.isEmpty()) {
                if (transactions.claim(domain.database(), origin, txnId, instance, until, now)) {
                    return held(domain, origin, txnId);
                }
                continue; // another instance claimed it between the read and the insert
            }
            InboundTransactionRepository.Stored state = stored.get();
            if (state.answered()) {
                if (elsewhere) {
                    count("answered");
                }
                return new Acquired(state.answer(), null);
            }
            if (state.until() < now) {
                if (transactions.takeOver(domain.database(), origin, txnId, state, instance, until, now)) {
                    count("taken_over");
                    return held(domain, origin, txnId);
                }
                continue; // someone else took it over (or it was answered): read again
            }
            if (!elsewhere) {
                elsewhere = true;
                count("waiting");
            }
            if (now >= deadline) {
                count("timed_out");
                throw MatrixException.unknown(503, "The transaction is being processed, retry it later");
            }
            try {
                // parks only this request's virtual thread
                Thread.sleep(Duration.ofMillis(Math.min(pause, deadline - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown(503, "Interrupted while the transaction was processed");
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    private Acquired held(Domain domain, String origin, String txnId) {
        Claim claim = new Claim(domain, origin, txnId);
        held.add(claim);
        return new Acquired(null, claim);
    }

    /** Stores the answer of a processed transaction; its claim ends. */
    void answered(Claim claim, String answer) {
        held.remove(claim);
        long now = System.currentTimeMillis();
        transactions.save(claim.domain().database(), claim.origin(), claim.txnId(), answer, now);
    }

    /** Processing failed without an answer: the claim is given up, so the next copy processes the transaction. */
    void failed(Claim claim) {
        held.remove(claim);
        transactions.release(claim.domain().database(), claim.origin(), claim.txnId(), instance);
    }

    /** Renews this instance's claims of the domain. */
    @Override
    protected void runFor(Domain domain, long now) {
        long until = now + properties.claimLease().toMillis();
        for (Claim claim : held) {
            if (claim.domain().databaseName().equals(domain.databaseName())) {
                transactions.renew(domain.database(), claim.origin(), claim.txnId(), instance, until);
            }
        }
    }

    private void count(String state) {
        meters.counter(CLAIMED_ELSEWHERE, "state", state).increment();
    }
}
