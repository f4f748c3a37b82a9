package de.tim.homeserver.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import com.mongodb.MongoException;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.kafka.KafkaConsumerRunner;
import de.tim.homeserver.room.NotificationEventReader;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * the evaluation repeats idempotently. Runs on a virtual thread ({@link KafkaConsumerRunner}), never on a
 * request's thread.
 */
@Component
class PushEvaluationListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PushEvaluationListener.class);

    private final DomainRegistry registry;
    private final NotificationService notifications;
    private final NotificationEventReader events;
    private final NotificationProperties properties;
    private final String bootstrapServers;
    private final Deserializer<RoomEventRecord> reader = TimTopics.ROOM_EVENTS.valueDeserializer();
    private final KafkaConsumerRunner runner;
    private KafkaProducer<String, PushNotificationRecord> producer;

    PushEvaluationListener(DomainRegistry registry, NotificationService notifications, NotificationEventReader events,
            NotificationProperties properties, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.notifications = notifications;
        this.events = events;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
        this.runner = KafkaConsumerRunner.group("push-evaluation", bootstrapServers, properties.groupId(),
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100), List.of(TimTopics.ROOM_EVENTS),
                List.of(TimTopics.PUSH_NOTIFICATIONS), this::handle);
    }

    /** Whether the consumer has joined its group and holds partitions. */
    boolean isReady() {
        return runner.isReady();
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || runner.isRunning()) {
            return;
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), TimTopics.PUSH_NOTIFICATIONS.valueSerializer());
        runner.start();
    }

    private void handle(ConsumerRecords<String, byte[]> records) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Map<String, Domain> evaluated = new LinkedHashMap<>();
        Map<Domain, Map<String, Long>> rooms = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            RoomEventRecord event = KafkaConsumerRunner.value(reader, r);
            Optional<Domain> domain = event == null ? Optional.empty() : registry.byServerName(event.domain());
            if (domain.isEmpty()) {
                continue;
            }
            rooms.computeIfAbsent(domain.get(), d -> new LinkedHashMap<>()).merge(event.roomId(), event.streamPosition(), Math::max);
            // the outbox publishes at least once: copies in this poll or completed before are skipped
            if (evaluated.containsKey(event.eventId()) || notifications.isEvaluated(domain.get(), event.eventId())) {
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
        // syncs wait for the rooms' evaluated positions; syncs that answered counts early may answer them again
        rooms.forEach((domain, positions) -> {
            positions.keySet().forEach(roomId -> notifications.advance(domain, roomId));
            if (notifications.recountsWaiting(domain, new ArrayList<>(positions.keySet()))) {
                events.countsCompleted(domain, positions.values().stream().mapToLong(Long::longValue).max().orElse(0));
            }
        });
    }

    /**
     * Push records for one room event; MongoDB failures propagate (the poll is retried), bad and too old events are
     * skipped (marked evaluated all the same, so the room's evaluated position passes them).
     */
    private List<PushNotificationRecord> evaluate(Domain domain, RoomEventRecord record) {
        if (record.outlier()) {
            return List.of();
        }
        if (System.currentTimeMillis() - record.originServerTs() > properties.maxEventAge().toMillis()) {
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
    public synchronized void stop() {
        runner.stop();
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }
}
