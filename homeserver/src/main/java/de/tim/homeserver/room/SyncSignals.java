package de.tim.homeserver.room;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import de.tim.homeserver.domain.Domain;
import de.tim.kafka.topics.SyncSignalRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Wake-ups for streams other than room events ({@code to_device}, {@code device_lists}, {@code account_data},
 * {@code presence}): a writer calls {@link #changed} after its write; the domain's waiting syncs on this
 * instance wake at once, and a {@link SyncSignalRecord} (domain, stream, position, this instance's id; no
 * user ids or content) goes to {@code homeserver-sync-signals}, which {@link RoomEventWakeListener} of every
 * other instance turns into the same wake-up. The send happens on a worker thread, never on the request's:
 * pending signals are coalesced per (domain, stream) to the highest position, so a burst of writes costs one
 * record. Signals are hints: one lost (broker down) delays a sync to its re-check interval, nothing more.
 *
 * <p>The same topic carries signals of other kinds (e.g. {@code signing_key}): the one consumer of the topic
 * ({@link RoomEventWakeListener}) hands every signal of another instance to {@link #received}, which runs the handler
 * registered for its kind ({@link #onSignal}), or wakes the domain's syncs for kinds without one (the sync streams).
 */
@Component
public class SyncSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncSignals.class);

    private final RoomNotifier notifier;
    private final RoomProperties properties;
    private final String bootstrapServers;
    private final String origin = UUID.randomUUID().toString();
    private final ConcurrentMap<String, SyncSignalRecord> pending = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final ConcurrentMap<String, Consumer<SyncSignalRecord>> handlers = new ConcurrentHashMap<>();
    private volatile BooleanSupplier receiving = () -> false;
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, SyncSignalRecord> producer;

    SyncSignals(RoomNotifier notifier, RoomProperties properties,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.notifier = notifier;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
    }

    /** This instance's id in the signals it sends. */
    String origin() {
        return origin;
    }

    /**
     * Registers what signals of {@code kind} sent by other instances do (instead of waking syncs); the handler runs on
     * the consumer's thread, so it should be short. One handler per kind.
     */
    public void onSignal(String kind, Consumer<SyncSignalRecord> handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("a handler for " + kind + " signals is registered already");
        }
    }

    /** Whether signals of other instances are received (the consumer is positioned at the topic's end). */
    public boolean isReceiving() {
        return receiving.getAsBoolean();
    }

    /** The consumer of the topic tells how to ask whether it is positioned. */
    void receivedBy(BooleanSupplier ready) {
        this.receiving = ready;
    }

    /** A signal read from the topic: its kind's handler runs (or the domain's syncs wake); own signals are skipped. */
    void received(SyncSignalRecord signal) {
        if (signal.origin().equals(origin)) {
            return; // this instance handled its own change when it wrote
        }
        Consumer<SyncSignalRecord> handler = handlers.get(signal.stream());
        if (handler == null) {
            notifier.wakeSyncs(signal.domain());
            return;
        }
        try {
            handler.accept(signal);
        } catch (RuntimeException e) {
            log.warn("Handling a {} signal failed: {}", signal.stream(), e.toString());
        }
    }

    /** The domain's {@code stream} advanced to {@code position} (written and readable): wakes waiting syncs everywhere. */
    public void changed(Domain domain, String stream, long position) {
        notifier.wakeSyncs(domain.serverName());
        if (!running) {
            return;
        }
        pending.merge(domain.serverName() + "\n" + stream, new SyncSignalRecord(domain.serverName(), stream, position, origin),
                (a, b) -> a.position() >= b.position() ? a : b);
        wake.release();
    }

    @Override
    public void start() {
        if (!properties.kafkaEnabled()) {
            return;
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new StringSerializer(), TimTopics.SYNC_SIGNALS.valueSerializer());
        running = true;
        worker = Thread.ofVirtual().name("sync-signals").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                wake.acquire();
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (String key : pending.keySet()) {
                SyncSignalRecord signal = pending.remove(key);
                if (signal == null) {
                    continue;
                }
                try {
                    producer.send(new ProducerRecord<>(TimTopics.SYNC_SIGNALS.name(), signal.key(), signal), (metadata, e) -> {
                        if (e != null) {
                            log.warn("Sync signal not sent (waiters elsewhere wake at their re-check): {}", e.getClass().getSimpleName());
                        }
                    });
                } catch (RuntimeException e) {
                    log.warn("Sync signal not sent (waiters elsewhere wake at their re-check): {}", e.toString());
                }
            }
        }
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
            producer.close(java.time.Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
