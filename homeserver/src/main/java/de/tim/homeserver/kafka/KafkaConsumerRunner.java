package de.tim.homeserver.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import de.tim.kafka.topics.TopicDefinition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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

/**
 * One poll loop of the homeserver's Kafka consumers on a virtual thread: creates the topics it reads if missing,
 * then either joins a consumer group ({@link #group}: offsets committed after the handler returned, so a failure
 * repeats the poll from the committed offsets) or reads every partition from the end without a group
 * ({@link #fromEnd}: wake-ups). Any failure closes the consumer and starts over after {@value #RETRY_MS} ms;
 * {@link #stop} wakes a blocked poll, waits for the loop to end and closes the consumer.
 */
public final class KafkaConsumerRunner {

    private static final Logger log = LoggerFactory.getLogger(KafkaConsumerRunner.class);
    static final long RETRY_MS = 2_000;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** Handles one poll's records; an exception restarts the consumer (a group member repeats them). */
    @FunctionalInterface
    public interface Handler {
        void handle(ConsumerRecords<String, byte[]> records) throws Exception;
    }

    private final String name;
    private final String bootstrapServers;
    private final String groupId;
    private final Map<String, Object> extraConfig;
    private final List<TopicDefinition<?>> topics;
    private final List<TopicDefinition<?>> ensured;
    private final Handler handler;
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean ready;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread worker;

    private KafkaConsumerRunner(String name, String bootstrapServers, String groupId, Map<String, Object> extraConfig,
            List<TopicDefinition<?>> topics, List<TopicDefinition<?>> ensured, Handler handler) {
        this.name = name;
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
        this.extraConfig = Map.copyOf(extraConfig);
        this.topics = List.copyOf(topics);
        this.ensured = List.copyOf(ensured);
        this.handler = handler;
    }

    /**
     * A member of {@code groupId} subscribed to {@code topics}, starting at the earliest offset the first time;
     * {@code alsoEnsured} are further topics created up front (e.g. the ones the handler produces to).
     */
    public static KafkaConsumerRunner group(String name, String bootstrapServers, String groupId, Map<String, Object> extraConfig,
            List<TopicDefinition<?>> topics, List<TopicDefinition<?>> alsoEnsured, Handler handler) {
        List<TopicDefinition<?>> ensured = new ArrayList<>(topics);
        ensured.addAll(alsoEnsured);
        return new KafkaConsumerRunner(name, bootstrapServers, groupId, extraConfig, topics, ensured, handler);
    }

    /** Reads all partitions of {@code topics} from their end (records written from now on), without a group. */
    public static KafkaConsumerRunner fromEnd(String name, String bootstrapServers, List<TopicDefinition<?>> topics, Handler handler) {
        return new KafkaConsumerRunner(name, bootstrapServers, null, Map.of(), topics, topics, handler);
    }

    /** A record's value, or null (after a warning without the content) when it cannot be read. */
    public static <T> T value(Deserializer<T> deserializer, ConsumerRecord<String, byte[]> record) {
        try {
            return deserializer.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            log.warn("Skipping an unreadable record on {} partition {} offset {}", record.topic(), record.partition(), record.offset());
            return null;
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopped = new CountDownLatch(1);
        CountDownLatch until = stopped;
        worker = Thread.ofVirtual().name(name).start(() -> run(until));
    }

    /** Whether the consumer holds its partitions (group) or is positioned at their end. */
    public boolean isReady() {
        return ready;
    }

    public boolean isRunning() {
        return running;
    }

    private void run(CountDownLatch until) {
        while (running) {
            KafkaConsumer<String, byte[]> c = null;
            try {
                c = new KafkaConsumer<>(config(), new StringDeserializer(), new ByteArrayDeserializer());
                consumer = c;
                if (!running) {
                    return;
                }
                KafkaTopicCheck.ensure(bootstrapServers, ensured);
                if (groupId != null) {
                    c.subscribe(topics.stream().map(TopicDefinition::name).toList(), new ReadyOnAssignment());
                } else {
                    assignAtEnd(c);
                    ready = true;
                }
                while (running) {
                    ConsumerRecords<String, byte[]> records = c.poll(POLL);
                    if (records.isEmpty()) {
                        continue;
                    }
                    handler.handle(records);
                    if (groupId != null) {
                        c.commitSync();
                    }
                }
            } catch (WakeupException e) {
                // stop() or a restart: the loop condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                ready = false;
                if (!running) {
                    return;
                }
                log.warn("Kafka consumer {} failed, restarting{}: {}", name, groupId != null ? " from the committed offsets" : "",
                        e.toString());
                try {
                    if (until.await(RETRY_MS, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                ready = false;
                consumer = null;
                if (c != null) {
                    close(c);
                }
            }
        }
    }

    /**
     * Offsets are committed after every poll, so closing only leaves the group; it must not hold up a shutdown for
     * the client's default 30 s when the broker is already gone.
     */
    private void close(KafkaConsumer<String, byte[]> c) {
        try {
            c.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("Closing Kafka consumer {} failed: {}", name, e.toString());
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(extraConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        } else {
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        }
        return config;
    }

    private void assignAtEnd(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDefinition<?> topic : topics) {
            for (PartitionInfo p : c.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
    }

    private final class ReadyOnAssignment implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            ready = false;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ready = true;
        }
    }

    /** Ends the loop: wakes a blocked poll, waits up to 5 s for the thread; the consumer is closed on its way out. */
    public void stop() {
        Thread w;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            ready = false;
            w = worker;
        }
        stopped.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (w != null) {
            try {
                w.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
