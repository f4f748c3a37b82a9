package de.tim.homeserver.federation.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.room.RoomProperties;
import de.tim.kafka.topics.SyncSignalRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Picks up signing keys rotated by another instance: reads {@code homeserver-sync-signals} from the end (all
 * partitions, no consumer group) and re-reads the key of a domain whose {@value SigningKeyRotation#STREAM} signal
 * arrives; besides, every {@code recheck-interval} it re-reads the keys of all served domains (one small read per
 * domain), which bounds the delay when a signal is lost or Kafka is off.
 */
@Component
class SigningKeyRefreshListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyRefreshListener.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final DomainRegistry registry;
    private final SigningKeyProperties properties;
    private final boolean kafkaEnabled;
    private final String bootstrapServers;
    private final Deserializer<SyncSignalRecord> signals = TimTopics.SYNC_SIGNALS.valueDeserializer();
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private long lastRecheck = System.currentTimeMillis();
    private Thread worker;

    SigningKeyRefreshListener(DomainRegistry registry, SigningKeyProperties properties, RoomProperties rooms,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.properties = properties;
        this.kafkaEnabled = rooms.kafkaEnabled();
        this.bootstrapServers = bootstrapServers;
    }

    /** Whether the consumer reads the signals (from their end). */
    boolean isReady() {
        return ready;
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("signing-key-refresh").start(kafkaEnabled ? this::consume : this::recheckOnly);
    }

    private void consume() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : c.partitionsFor(TimTopics.SYNC_SIGNALS.name(), Duration.ofSeconds(10))) {
                    partitions.add(new TopicPartition(p.topic(), p.partition()));
                }
                if (partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + TimTopics.SYNC_SIGNALS.name() + " not there yet");
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position);
                ready = true;
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                        handle(r);
                    }
                    recheckIfDue();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                ready = false;
                log.warn("Signing key signals not readable, retrying: {}", e.toString());
                if (!pause(Duration.ofSeconds(2))) {
                    return;
                }
                recheckIfDue();
            }
        }
    }

    private void recheckOnly() {
        while (running) {
            recheckIfDue();
            if (!pause(POLL)) {
                return;
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        try {
            SyncSignalRecord signal = signals.deserialize(r.topic(), r.value());
            if (signal != null && SigningKeyRotation.STREAM.equals(signal.stream())) {
                registry.refreshSigningKey(signal.domain());
            }
        } catch (SerializationException e) {
            log.warn("Skipping an unreadable record of {}", r.topic());
        } catch (RuntimeException e) {
            log.warn("Signing key of a domain could not be re-read: {}", e.toString());
        }
    }

    private void recheckIfDue() {
        long now = System.currentTimeMillis();
        if (now - lastRecheck < properties.recheckInterval().toMillis()) {
            return;
        }
        lastRecheck = now;
        for (Domain domain : registry.all()) {
            try {
                registry.refreshSigningKey(domain.serverName());
            } catch (RuntimeException e) {
                log.warn("Signing key of a domain could not be re-read: {}", e.toString());
            }
        }
    }

    /** Waits between rounds on this background virtual thread; false if the listener is stopping. */
    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
