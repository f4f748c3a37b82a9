package de.tim.homeserver.room;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes persisted events to {@code room-events} (key room id) at least once: events carry the
 * outbox flag {@code unpublished} from their insert on; this publisher sends them in position order
 * and clears the flag after the broker acknowledged. After a restart, unflagged events are simply
 * sent again (consumers deduplicate by domain and event id).
 */
@Component
class RoomEventOutbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomEventOutbox.class);
    private static final int BATCH = 200;

    private final DomainRegistry registry;
    private final EventRepository events;
    private final RoomProperties properties;
    private final String bootstrapServers;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, RoomEventRecord> producer;

    RoomEventOutbox(DomainRegistry registry, EventRepository events, RoomProperties properties, RoomNotifier notifier,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.events = events;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
        notifier.onNotify("outbox", () -> wake.release());
    }

    @Override
    public void start() {
        if (!properties.kafkaEnabled()) {
            return;
        }
        running = true;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), TimTopics.ROOM_EVENTS.valueSerializer());
        worker = Thread.ofVirtual().name("room-event-outbox").start(this::run);
    }

    private void run() {
        Duration interval = properties.outboxInterval();
        while (running) {
            try {
                for (Domain domain : registry.all()) {
                    publish(domain);
                }
            } catch (RuntimeException e) {
                log.warn("Publishing room events failed, retrying: {}", e.toString());
            }
            try {
                wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void publish(Domain domain) {
        List<Document> batch;
        do {
            batch = events.unpublished(domain.database(), BATCH);
            for (Document doc : batch) {
                StoredEvent event = StoredEvent.of(doc);
                RoomEventRecord record = new RoomEventRecord(domain.serverName(), event.roomId(), event.eventId(),
                        event.type(), event.pdu().stateKey().orElse(null), event.sender(), event.pdu().originServerTs(),
                        event.pos(), false, event.pdu().jsonWithEventId());
                try {
                    producer.send(new ProducerRecord<>(TimTopics.ROOM_EVENTS.name(), record.key(), record)).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException("Kafka send failed: " + e.getClass().getSimpleName(), e);
                }
                events.markPublished(domain.database(), event.eventId());
            }
        } while (batch.size() == BATCH && running);
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
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
