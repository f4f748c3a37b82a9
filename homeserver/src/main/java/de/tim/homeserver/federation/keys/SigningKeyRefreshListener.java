package de.tim.homeserver.federation.keys;

import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.room.SyncSignals;
import de.tim.kafka.topics.SyncSignalRecord;
import org.springframework.stereotype.Component;

/**
 * Picks up signing keys rotated by another instance: handles the {@value SigningKeyRotation#STREAM} signals on
 * {@code homeserver-sync-signals} (read by the topic's one consumer, see {@link SyncSignals#onSignal}) by re-reading
 * the domain's key. {@link SigningKeyRecheck} bounds the delay when a signal is lost or Kafka is off.
 */
@Component
class SigningKeyRefreshListener {

    private final DomainRegistry registry;
    private final SyncSignals signals;

    SigningKeyRefreshListener(DomainRegistry registry, SyncSignals signals) {
        this.registry = registry;
        this.signals = signals;
        signals.onSignal(SigningKeyRotation.STREAM, this::handle);
    }

    /** Whether rotation signals of other instances are received (the topic's consumer reads from its end). */
    boolean isReady() {
        return signals.isReceiving();
    }

    private void handle(SyncSignalRecord signal) {
        registry.refreshSigningKey(signal.domain());
    }
}
