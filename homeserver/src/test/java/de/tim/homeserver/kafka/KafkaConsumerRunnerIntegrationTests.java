package de.tim.homeserver.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import de.tim.kafka.topics.TopicDefinition;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The poll loop against the shared KRaft broker (no Spring): a group member handles every record, a failing
 * handler repeats the poll from the committed offsets, a from-the-end reader sees only new records, and a stopped
 * runner ends its thread and can be started again.
 */
class KafkaConsumerRunnerIntegrationTests {

    private static TopicDefinition<String> topic() {
        return new TopicDefinition<>("runner-test-" + UUID.randomUUID(), "test key", String.class, "/none.json", 1);
    }

    private static void produce(String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "k", value)).get();
            }
        }
    }

    private static String text(ConsumerRecord<String, byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    @Test
    void groupMemberRepeatsAFailedPollFromTheCommittedOffsetsAndStopsCleanly() throws Exception {
        TopicDefinition<String> topic = topic();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        KafkaConsumerRunner runner = KafkaConsumerRunner.group("runner-test", SharedKafkaBroker.bootstrapServers(),
                "runner-" + UUID.randomUUID(), Map.of(), List.of(topic), List.of(), records -> {
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (text(r).equals("two") && failOnce.getAndSet(false)) {
                            throw new IllegalStateException("downstream unavailable");
                        }
                        handled.add(text(r));
                    }
                });
        runner.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(runner::isReady);
            produce(topic.name(), "one", "two", "three");
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("three"));
            // "one" was handled before the failure but not committed: it is handled again, nothing is lost
            assertThat(handled).containsSubsequence("one", "two", "three");
            assertThat(handled.stream().filter("two"::equals)).hasSize(1);
        } finally {
            runner.stop();
        }
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.isReady()).isFalse();

        // started again, the member continues after the committed offsets
        handled.clear();
        runner.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(runner::isReady);
            produce(topic.name(), "four");
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("four"));
            assertThat(handled).containsExactly("four");
        } finally {
            runner.stop();
        }
    }

    @Test
    void fromEndReaderSeesOnlyRecordsWrittenAfterItWasReady() throws Exception {
        TopicDefinition<String> topic = topic();
        KafkaTopicCheck.ensure(SharedKafkaBroker.bootstrapServers(), List.of(topic));
        produce(topic.name(), "old");
        List<String> handled = new CopyOnWriteArrayList<>();
        KafkaConsumerRunner runner = KafkaConsumerRunner.fromEnd("runner-end-test", SharedKafkaBroker.bootstrapServers(),
                List.of(topic), records -> records.forEach(r -> handled.add(text(r))));
        runner.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(runner::isReady);
            produce(topic.name(), "new");
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.contains("new"));
            assertThat(handled).containsExactly("new");
        } finally {
            runner.stop();
        }
    }
}
