package de.tim.homeserver.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.SyncSignalRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.kafka.topics.TopicDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * Reads {@code room-events} and {@code homeserver-sync-signals} from the end (all partitions assigned, no
 * consumer group) and wakes the local {@code /sync} waiters of the record's domain, so an event persisted
 * by another instance, or another instance's to-device, device list, account data or presence write
 * ({@link SyncSignals}), reaches long-polling clients of this one.
 */
@Component
class RoomEventWakeListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomEventWakeListener.class);

    private final RoomNotifier notifier;
    private final RoomStreamCache cache;
    private final DomainRegistry registry;
    private final RoomProperties properties;
    private final SyncSignals signals;
    private final String bootstrapServers;
    private final Deserializer<RoomEventRecord> events = TimTopics.ROOM_EVENTS.valueDeserializer();
    private final Deserializer<SyncSignalRecord> syncSignals = TimTopics.SYNC_SIGNALS.valueDeserializer();
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    RoomEventWakeListener(RoomNotifier notifier, RoomStreamCache cache, DomainRegistry registry, RoomProperties properties,
            SyncSignals signals, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.notifier = notifier;
        this.signals = signals;
        this.cache = cache;
        this.registry = registry;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    /** Whether the consumer has its partitions and reads from their end. */
    boolean isReady() {
        return ready;
    }

    @Override
    public void start() {
        if (!properties.kafkaEnabled()) {
            return;
        }
        running = true;
        worker = Thread.ofVirtual().name("room-event-wake").start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                List<TopicPartition> partitions = new ArrayList<>();
                for (TopicDefinition<?> topic : List.of(TimTopics.ROOM_EVENTS, TimTopics.SYNC_SIGNALS)) {
                    ensureTopic(topic);
                    for (PartitionInfo p : c.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
                        partitions.add(new TopicPartition(p.topic(), p.partition()));
                    }
                }
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position);
                ready = true;
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
                        handle(r);
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("room-events consumer failed, restarting: {}", e.toString());
                ready = false;
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(TimTopics.SYNC_SIGNALS.name())) {
                SyncSignalRecord signal = syncSignals.deserialize(r.topic(), r.value());
                // this instance woke its own waiters when it wrote
                if (signal != null && !signal.origin().equals(signals.origin())) {
                    notifier.wakeSyncs(signal.domain());
                }
                return;
            }
            RoomEventRecord event = events.deserialize(r.topic(), r.value());
            if (event != null && !feedCache(event)) {
                notifier.notifyLocal(event.domain(), event.streamPosition());
            }
        } catch (SerializationException e) {
            log.warn("Skipping an unreadable record of {}", r.topic());
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

    private void ensureTopic(TopicDefinition<?> topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> names = admin.listTopics().names().get();
            if (!names.contains(topic.name())) {
                admin.createTopics(List.of(new NewTopic(topic.name(), topic.defaultPartitions(), (short) 1))).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("Could not check topic {}: {}", topic.name(), e.toString());
            }
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
