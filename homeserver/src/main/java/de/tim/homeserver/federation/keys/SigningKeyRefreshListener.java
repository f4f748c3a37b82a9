package de.tim.homeserver.federation.keys;

import java.util.List;

import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.kafka.KafkaConsumerRunner;
import de.tim.homeserver.room.RoomProperties;
import de.tim.kafka.topics.SyncSignalRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Picks up signing keys rotated by another instance: reads {@code homeserver-sync-signals} from the end (all
 * partitions, no consumer group) and re-reads the key of a domain whose {@value SigningKeyRotation#STREAM} signal
 * arrives. {@link SigningKeyRecheck} bounds the delay when a signal is lost or Kafka is off.
 */
@Component
class SigningKeyRefreshListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRefreshListener.class);

    private final DomainRegistry registry;
    private final boolean kafkaEnabled;
    private final Deserializer<SyncSignalRecord> signals = TimTopics.SYNC_SIGNALS.valueDeserializer();
    private final KafkaConsumerRunner runner;

    SigningKeyRefreshListener(DomainRegistry registry, RoomProperties rooms,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.kafkaEnabled = rooms.kafkaEnabled();
        this.runner = KafkaConsumerRunner.fromEnd("signing-key-refresh", bootstrapServers, List.of(TimTopics.SYNC_SIGNALS),
                records -> records.forEach(this::handle));
    }

    /** Whether the consumer reads the signals (from their end). */
    boolean isReady() {
        return runner.isReady();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        SyncSignalRecord signal = KafkaConsumerRunner.value(signals, record);
        if (signal == null || !SigningKeyRotation.STREAM.equals(signal.stream())) {
            return;
        }
        try {
            registry.refreshSigningKey(signal.domain());
        } catch (RuntimeException e) {
            log.warn("Signing key of a domain could not be re-read: {}", e.toString());
        }
    }

    @Override
    public void start() {
        if (kafkaEnabled) {
            runner.start();
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
