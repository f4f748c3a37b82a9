package de.tim.homeserver.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes persisted events to {@code room-events} (key room id) at least once, each normally once although
 * several instances share the database: the append records the event in the outbox ({@link OutboxRepository})
 * claimed by this instance for {@code outbox-lease}; this publisher sends its own entries in position order and
 * removes them after the broker acknowledged. Entries whose claim ran out (their instance crashed or cannot reach
 * Kafka) are taken over by any instance, so a crash delays publishing by at most the lease and may publish an
 * event twice (consumers deduplicate by domain and event id).
 */
@Component
class RoomEventOutbox implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomEventOutbox.class);
    private static final int BATCH = 200;

    private final DomainRegistry registry;
    private final EventRepository events;
    private final OutboxRepository outbox;
    private final RoomProperties properties;
    private final String bootstrapServers;
    private final String instance = UUID.randomUUID().toString();
    private final Set<String> migrated = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, RoomEventRecord> producer;

    RoomEventOutbox(DomainRegistry registry, EventRepository events, OutboxRepository outbox, RoomProperties properties,
            RoomNotifier notifier, @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.events = events;
        this.outbox = outbox;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
        notifier.onNotify("outbox", () -> wake.release());
    }

    /**
     * Records a stored event as unpublished, claimed by this instance (before the append completes, so that the
     * append's recovery repeats it after a crash). Nothing is recorded while Kafka is switched off.
     */
    void appended(Domain domain, String eventId, long pos) {
        if (properties.kafkaEnabled()) {
            outbox.add(domain.database(), eventId, pos, instance, System.currentTimeMillis() + properties.outboxLease().toMillis());
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.kafkaEnabled() || running) {
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
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

    private void publish(Domain domain) throws InterruptedException {
        MongoDatabase db = domain.database();
        if (migrated.add(domain.databaseName())) {
            adoptFlagged(domain);
        }
        List<Document> batch;
        do {
            batch = outbox.owned(db, instance, BATCH);
            send(domain, batch);
        } while (batch.size() == BATCH && running);
        long until = System.currentTimeMillis() + properties.outboxLease().toMillis();
        List<Document> taken = new ArrayList<>();
        for (Document entry : outbox.expired(db, System.currentTimeMillis(), BATCH)) {
            if (outbox.claim(db, entry, instance, until)) {
                taken.add(entry);
            }
        }
        send(domain, taken);
    }

    /** Events flagged {@code unpublished} by earlier versions (before the outbox collection) move into the outbox. */
    private void adoptFlagged(Domain domain) {
        List<Document> flagged;
        do {
            flagged = events.unpublished(domain.database(), BATCH);
            for (Document doc : flagged) {
                outbox.add(domain.database(), doc.getString("_id"), doc.getLong("pos"), instance, 0);
                events.markPublished(domain.database(), doc.getString("_id"));
            }
        } while (flagged.size() == BATCH && running);
    }

    /** Sends the entries' events in order, waits for every acknowledgement, then removes the entries. */
    private void send(Domain domain, List<Document> entries) throws InterruptedException {
        if (entries.isEmpty()) {
            return;
        }
        List<String> done = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Document entry : entries) {
            String eventId = entry.getString("_id");
            Document doc = events.find(domain.database(), eventId);
            done.add(eventId);
            if (doc == null || doc.getBoolean("purged", false) || doc.getString("pdu") == null) {
                continue; // purged before it was published
            }
            StoredEvent event = StoredEvent.of(doc);
            RoomEventRecord record = new RoomEventRecord(domain.serverName(), event.roomId(), event.eventId(),
                    event.type(), event.pdu().stateKey().orElse(null), event.sender(), event.pdu().originServerTs(),
                    event.pos(), false, event.pdu().jsonWithEventId());
            acks.add(producer.send(new ProducerRecord<>(TimTopics.ROOM_EVENTS.name(), record.key(), record)));
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Kafka send failed: " + e.getCause().getClass().getSimpleName(), e);
            }
        }
        done.forEach(eventId -> outbox.remove(domain.database(), eventId));
    }

    @Override
    public void stop() {
        Thread w;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            w = worker;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
            producer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
