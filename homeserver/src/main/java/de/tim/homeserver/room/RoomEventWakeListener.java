package de.tim.homeserver.room;

import java.util.List;

import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.kafka.KafkaConsumerRunner;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.SyncSignalRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads {@code room-events} and {@code homeserver-sync-signals} from the end (all partitions assigned, no
 * consumer group) and wakes the local {@code /sync} waiters of the record's domain, so an event persisted
 * by another instance, or another instance's to-device, device list, account data or presence write
 * ({@link SyncSignals}), reaches long-polling clients of this one. The only consumer of the signals topic: signals of
 * other kinds go to the handlers registered with {@link SyncSignals#onSignal}.
 */
@Component
class RoomEventWakeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomEventWakeListener.class);

    private final RoomNotifier notifier;
    private final RoomStreamCache cache;
    private final DomainRegistry registry;
    private final RoomProperties properties;
    private final SyncSignals signals;
    private final Deserializer<RoomEventRecord> events = TimTopics.ROOM_EVENTS.valueDeserializer();
    private final Deserializer<SyncSignalRecord> syncSignals = TimTopics.SYNC_SIGNALS.valueDeserializer();
    private final KafkaConsumerRunner runner;

    RoomEventWakeListener(RoomNotifier notifier, RoomStreamCache cache, DomainRegistry registry, RoomProperties properties,
            SyncSignals signals, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.notifier = notifier;
        this.signals = signals;
        this.cache = cache;
        this.registry = registry;
        this.properties = properties;
        this.runner = KafkaConsumerRunner.fromEnd("room-event-wake", bootstrapServers,
                List.of(TimTopics.ROOM_EVENTS, TimTopics.SYNC_SIGNALS), this::handle);
        signals.receivedBy(runner::isReady);
    }

    /** Whether the consumer has its partitions and reads from their end. */
    boolean isReady() {
        return runner.isReady();
    }

    @Override
    public void start() {
        if (properties.kafkaEnabled()) {
            runner.start();
        }
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            handle(r);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        if (r.topic().equals(TimTopics.SYNC_SIGNALS.name())) {
            SyncSignalRecord signal = KafkaConsumerRunner.value(syncSignals, r);
            if (signal != null) {
                signals.received(signal);
            }
            return;
        }
        RoomEventRecord event = KafkaConsumerRunner.value(events, r);
        if (event != null && !feedCache(event)) {
            notifier.notifyLocal(event.domain(), event.streamPosition());
        }
    }

    /**
     * Hands another instance's event to the sync window (one read by id), so the woken syncs need no
     * query; true if this instance appended the event itself and has woken its waiters already.
     */
    private boolean feedCache(RoomEventRecord event) {
        if (event.outlier()) {
            return false;
        }
        try {
            return registry.byServerName(event.domain()).map(d -> {
                if (cache.appendedHere(d, event.eventId())) {
                    return true;
                }
                cache.published(d, event.roomId(), event.eventId(), event.type(), event.stateKey(), event.streamPosition());
                return false;
            }).orElse(false);
        } catch (RuntimeException e) {
            // the window reads the position from MongoDB when a sync needs it
            log.debug("Could not feed the sync window: {}", e.toString());
            return false;
        }
    }

    @Override
    public void stop() {
        runner.stop();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }
}
