package de.tim.homeserver.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import com.mongodb.MongoException;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code room-events} in the consumer group {@code tim.homeserver.push.group-id} (shared by all
 * instances, so every event is evaluated once), evaluates push rules per recipient
 * ({@link NotificationService#evaluate}) and produces one {@code push-notifications} record per pusher.
 * At least once: a poll's offsets are committed only after all its push records were acknowledged
 * (acks=all, idempotent producer); after a failure the consumer restarts from the committed offsets and
 * the evaluation repeats idempotently. Runs on a virtual thread, never on a request's thread.
 */
@Component
class PushEvaluationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PushEvaluationListener.class);

    private final DomainRegistry registry;
    private final NotificationService notifications;
    private final NotificationProperties properties;
    private final String bootstrapServers;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, PushNotificationRecord> producer;
    private final Deserializer<RoomEventRecord> reader = TimTopics.ROOM_EVENTS.valueDeserializer();
    private Thread worker;

    PushEvaluationListener(DomainRegistry registry, NotificationService notifications, NotificationProperties properties,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.notifications = notifications;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    /** Whether the consumer has joined its group and holds partitions. */
    boolean isReady() {
        return ready;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = true;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), TimTopics.PUSH_NOTIFICATIONS.valueSerializer());
        worker = Thread.ofVirtual().name("push-evaluation").start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, properties.groupId(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                KafkaTopicCheck.ensure(bootstrapServers, List.of(TimTopics.ROOM_EVENTS, TimTopics.PUSH_NOTIFICATIONS));
                c.subscribe(List.of(TimTopics.ROOM_EVENTS.name()), new ConsumerRebalanceListener() {
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
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    Map<String, Domain> evaluated = new LinkedHashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        RoomEventRecord event = read(r);
                        Optional<Domain> domain = event == null ? Optional.empty() : registry.byServerName(event.domain());
                        // the outbox publishes at least once: copies in this poll or completed before are skipped
                        if (domain.isEmpty() || evaluated.containsKey(event.eventId())
                                || notifications.isEvaluated(domain.get(), event.eventId())) {
                            continue;
                        }
                        evaluated.put(event.eventId(), domain.get());
                        for (PushNotificationRecord push : evaluate(domain.get(), event)) {
                            sent.add(producer.send(new ProducerRecord<>(TimTopics.PUSH_NOTIFICATIONS.name(), push.key(), push)));
                        }
                    }
                    for (Future<RecordMetadata> f : sent) {
                        f.get();
                    }
                    evaluated.forEach((eventId, domain) -> notifications.markEvaluated(domain, eventId));
                    c.commitSync();
                }
            } catch (WakeupException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | ExecutionException e) {
                if (!running) {
                    return;
                }
                ready = false;
                log.warn("push evaluation failed, restarting from the committed offsets: {}", e.toString());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The record's value; null (skipped) for records that are not room events, so one bad record cannot block the partition. */
    private RoomEventRecord read(ConsumerRecord<String, byte[]> r) {
        try {
            return reader.deserialize(r.topic(), r.value());
        } catch (SerializationException e) {
            log.warn("skipping an unreadable record on {} partition {} offset {}", r.topic(), r.partition(), r.offset());
            return null;
        }
    }

    /** Push records for one room event; MongoDB failures propagate (the poll is retried), bad events are skipped. */
    private List<PushNotificationRecord> evaluate(Domain domain, RoomEventRecord record) {
        if (record.outlier()) {
            return List.of();
        }
        if (System.currentTimeMillis() - record.originServerTs() > properties.maxEventAge().toMillis()) {
            notifications.skipped(domain, record.roomId(), record.streamPosition());
            return List.of();
        }
        try {
            return notifications.evaluate(domain, record.eventId()).records();
        } catch (MongoException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("push evaluation skipped an event it cannot evaluate: {}", e.getClass().getSimpleName());
            return List.of();
        }
    }

    @Override
    public void stop() {
        running = false;
        ready = false;
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
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
