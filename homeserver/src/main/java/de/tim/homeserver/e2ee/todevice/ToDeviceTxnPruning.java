package de.tim.homeserver.e2ee.todevice;

import java.time.Duration;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.springframework.stereotype.Component;

/**
 * Forgets completed send-to-device transactions after {@link #RETENTION} (a client retries a lost
 * request within seconds; the records would otherwise grow forever). Runs hourly on every instance; the
 * delete is idempotent. (No TTL index: the wire server does not expire them.)
 */
@Component
class ToDeviceTxnPruning extends PeriodicDomainJob {

    static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration INTERVAL = Duration.ofHours(1);
    private final ToDeviceRepository repository;

    ToDeviceTxnPruning(DomainRegistry registry, ToDeviceRepository repository) {
        super("to-device-txn-pruning", registry, () -> INTERVAL, true);
        this.repository = repository;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        prune(domain, now);
    }

    /** Deletes the domain's completed transactions older than the retention at {@code now}. */
    long prune(Domain domain, long now) {
        return repository.deleteTxnsBefore(domain.database(), now - RETENTION.toMillis());
    }
}
