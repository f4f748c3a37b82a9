package de.tim.homeserver.e2ee.todevice;

import java.time.Duration;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Forgets completed send-to-device transactions after {@link #RETENTION} (a client retries a lost
 * request within seconds; the records would otherwise grow forever). Runs hourly on every instance; the
 * delete is idempotent. (No TTL index: the wire server does not expire them.)
 */
@Component
class ToDeviceTxnPruning implements SmartLifecycle {

    static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration INTERVAL = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(ToDeviceTxnPruning.class);

    private final DomainRegistry registry;
    private final ToDeviceRepository repository;
    private volatile boolean running;
    private Thread worker;

    ToDeviceTxnPruning(DomainRegistry registry, ToDeviceRepository repository) {
        this.registry = registry;
        this.repository = repository;
    }

    /** Deletes the domain's completed transactions older than the retention at {@code now}. */
    long prune(Domain domain, long now) {
        return repository.deleteTxnsBefore(domain.database(), now - RETENTION.toMillis());
    }

    private void run() {
        while (running) {
            try {
                for (Domain domain : registry.all()) {
                    prune(domain, System.currentTimeMillis());
                }
            } catch (RuntimeException e) {
                log.warn("To-device transaction pruning failed: {}", e.toString());
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("to-device-txn-pruning").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
