package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import de.tim.kafka.topics.SyncSignalRecord;
import org.junit.jupiter.api.Test;

/**
 * How {@link SyncSignals} dispatches the signals the topic's one consumer reads, without Spring or Kafka: a kind with a
 * registered handler goes to it (and wakes no syncs), other kinds wake the domain's syncs, this instance's own signals
 * are skipped, and a failing handler does not reach the consumer.
 */
class SyncSignalsTests {

    private final RoomNotifier notifier = new RoomNotifier();
    private final SyncSignals signals = new SyncSignals(notifier,
            new RoomProperties(null, false, null, null, null, null, null, null), "127.0.0.1:1");

    @Test
    void aSignalOfAKindWithoutHandlerWakesTheDomainsSyncs() {
        var waiter = notifier.signal("s.test");
        signals.received(new SyncSignalRecord("s.test", "account_data", 3, "another-instance"));
        assertThat(waiter).isDone();
    }

    @Test
    void aSignalOfARegisteredKindGoesToItsHandlerOnly() {
        List<SyncSignalRecord> handled = new ArrayList<>();
        signals.onSignal("signing_key", handled::add);
        var waiter = notifier.signal("s.test");
        SyncSignalRecord signal = new SyncSignalRecord("s.test", "signing_key", 1, "another-instance");
        signals.received(signal);
        assertThat(handled).containsExactly(signal);
        assertThat(waiter).isNotDone();
        assertThatThrownBy(() -> signals.onSignal("signing_key", s -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ownSignalsAreSkipped() {
        List<SyncSignalRecord> handled = new ArrayList<>();
        signals.onSignal("signing_key", handled::add);
        var waiter = notifier.signal("s.test");
        signals.received(new SyncSignalRecord("s.test", "signing_key", 1, signals.origin()));
        signals.received(new SyncSignalRecord("s.test", "to_device", 1, signals.origin()));
        assertThat(handled).isEmpty();
        assertThat(waiter).isNotDone();
    }

    @Test
    void aFailingHandlerIsContained() {
        signals.onSignal("signing_key", s -> {
            throw new IllegalStateException("database down");
        });
        signals.received(new SyncSignalRecord("s.test", "signing_key", 1, "another-instance"));
        assertThat(signals.isReceiving()).isFalse();
    }
}
