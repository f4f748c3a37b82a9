package de.tim.homeserver.notification;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.pusher.PusherService;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code push-rejected-pushkeys} (group {@code tim.homeserver.push.rejected-group-id}) and removes
 * the rejected pushers of hosted domains. Idempotent; offsets are committed after the deletions.
 */
@Component
class RejectedPushkeyListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RejectedPushkeyListener.class);

    private final DomainRegistry registry;
    private final PusherService pushers;
    private final NotificationProperties properties;
    private final String bootstrapServers;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<RejectedPushkeyRecord> reader = TimTopics.PUSHKEYS_REJECTED.valueDeserializer();
    private Thread worker;

    RejectedPushkeyListener(DomainRegistry registry, PusherService pushers, NotificationProperties properties,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.pushers = pushers;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    boolean isReady() {
        return ready;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = true;
        worker = Thread.ofVirtual().name("push-rejected-pushkeys").start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, properties.rejectedGroupId(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                KafkaTopicCheck.ensure(bootstrapServers, List.of(TimTopics.PUSHKEYS_REJECTED));
                c.subscribe(List.of(TimTopics.PUSHKEYS_REJECTED.name()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        ready = false;
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        ready = true;
                    }
                });
                while (running) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofSeconds(1));
                    if (records.isEmpty()) {
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> r : records) {
                        RejectedPushkeyRecord rejected;
                        try {
                            rejected = reader.deserialize(r.topic(), r.value());
                        } catch (SerializationException e) {
                            log.warn("skipping an unreadable record on {} partition {} offset {}", r.topic(), r.partition(), r.offset());
                            continue;
                        }
                        if (rejected == null) {
                            continue;
                        }
                        Optional<Domain> domain = registry.byServerName(rejected.domain());
                        domain.ifPresent(d -> pushers.removeRejected(d, rejected.userId(), rejected.appId(), rejected.pushkey()));
                    }
                    c.commitSync();
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                ready = false;
                log.warn("push-rejected-pushkeys consumer failed, restarting: {}", e.toString());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
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
