package de.tim.homeserver.room;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends typing notifications whose timeout passed: stamps them with a new {@code typing} position and
 * wakes sync waiters here and on the other instances, so clients see the user stop typing. Runs on every
 * instance; the conditional update lets one instance win per notification (the others' positions are recorded
 * as written all the same, so they leave no gap).
 */
@Component
class TypingExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TypingExpiry.class);
    private static final long INTERVAL_MS = 500;

    private final DomainRegistry registry;
    private final EphemeralRepository repository;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final SyncSignals signals;
    private volatile boolean running;
    private Thread worker;

    TypingExpiry(DomainRegistry registry, EphemeralRepository repository, StreamPositions positions, RoomNotifier notifier,
            SyncSignals signals) {
        this.signals = signals;
        this.registry = registry;
        this.repository = repository;
        this.positions = positions;
        this.notifier = notifier;
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("typing-expiry").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                for (Domain domain : registry.all()) {
                    expire(domain);
                }
            } catch (RuntimeException e) {
                log.warn("Typing expiry failed: {}", e.toString());
            }
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void expire(Domain domain) {
        for (Document typing : repository.expiredTyping(domain.database(), System.currentTimeMillis())) {
            long pos = positions.next(domain, EphemeralService.TYPING);
            if (repository.stopTyping(domain.database(), typing, pos)) {
                notifier.notifyLocal(domain.serverName(), pos);
                signals.changed(domain, EphemeralService.TYPING, pos);
            }
        }
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
