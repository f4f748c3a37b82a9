package de.tim.homeserver.room;

import java.time.Duration;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Ends typing notifications whose timeout passed: stamps them with a new {@code typing} position and
 * wakes sync waiters here and on the other instances, so clients see the user stop typing. Runs on every
 * instance; the conditional update lets one instance win per notification (the others' positions are recorded
 * as written all the same, so they leave no gap).
 */
@Component
class TypingExpiry extends PeriodicDomainJob {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final EphemeralRepository repository;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final SyncSignals signals;

    TypingExpiry(DomainRegistry registry, EphemeralRepository repository, StreamPositions positions, RoomNotifier notifier,
            SyncSignals signals) {
        super("typing-expiry", registry, () -> INTERVAL, true);
        this.signals = signals;
        this.repository = repository;
        this.positions = positions;
        this.notifier = notifier;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        for (Document typing : repository.expiredTyping(domain.database(), now)) {
            long pos = positions.next(domain, EphemeralService.TYPING);
            if (repository.stopTyping(domain.database(), typing, pos)) {
                notifier.notifyLocal(domain.serverName(), pos);
                signals.changed(domain, EphemeralService.TYPING, pos);
            }
        }
    }
}
