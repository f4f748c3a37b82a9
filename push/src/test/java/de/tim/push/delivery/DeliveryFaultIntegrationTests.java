package de.tim.push.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import de.tim.embedded.kafka.EmbeddedKafkaBroker;
import de.tim.embedded.net.FreePorts;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.push.sink.ProviderSink;
import de.tim.testsupport.MongoWireServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole path — Kafka {@code push-notifications} → delivery worker → Push Gateway → FCM adapter → push sink —
 * while the push sink and then the Kafka broker are stopped in the middle of a stream of notifications. Afterwards
 * every notification must have arrived at the sink exactly once; likewise when the gateway and the worker restart.
 * This test owns its broker so it can stop it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("delivery-test")
class DeliveryFaultIntegrationTests {

    private static final String APP = "de.tim.android";
    private static final String GROUP = "tim-push-delivery-fault";
    private static final Path KAFKA_DIR = tempDir();
    private static final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder(KAFKA_DIR).build().start();
    private static final ProviderSink sink = new ProviderSink().start();
    /** A fixed (free) port, so the web server comes back on the same port after a restart. */
    private static final int PORT = FreePorts.allocate(1).getFirst();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    ServletWebServerApplicationContext webServer;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
        registry.add("spring.data.mongodb.uri", () -> MongoWireServers.shared().connectionString());
        registry.add("tim.push.mongo.database", () -> MongoWireServers.uniqueDatabaseName("fault"));
        registry.add("tim.push.delivery.group-id", () -> GROUP);
        registry.add("tim.push.gateway.apps.[" + APP + "].type", () -> "fcm");
        registry.add("tim.push.gateway.apps.[" + APP + "].fcm.base-url", () -> sink.baseUrl().toString());
        registry.add("tim.push.gateway.apps.[" + APP + "].fcm.service-account-json", sink::serviceAccountJson);
    }

    @AfterAll
    static void stop() {
        sink.close();
        broker.close();
    }

    @Test
    void everyNotificationArrivesExactlyOnceAfterSinkAndBrokerOutages() throws Exception {
        String gatewayUrl = "http://localhost:" + port + "/_matrix/push/v1/notify";
        int perPhase = 40;
        List<String> eventIds = new ArrayList<>();
        try (KafkaProducer<String, PushNotificationRecord> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();

            // phase 1: everything up
            sent.addAll(send(producer, gatewayUrl, eventIds, 0, perPhase));
            await().atMost(Duration.ofSeconds(60)).until(() -> arrived(eventIds) >= perPhase / 4);

            // phase 2: the push provider goes away; the worker retries
            sink.stop();
            double retriedBefore = counter("tim.push.delivery.retried");
            sent.addAll(send(producer, gatewayUrl, eventIds, perPhase, perPhase));
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("tim.push.delivery.retried") > retriedBefore + 2);
            int arrivedBeforeSinkOutage = arrived(eventIds);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> arrived(eventIds) == arrivedBeforeSinkOutage);

            // phase 3: Kafka goes away too; the producer buffers
            broker.close();
            List<Future<RecordMetadata>> phase3 = send(producer, gatewayUrl, eventIds, 2 * perPhase, perPhase);
            sent.addAll(phase3);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> phase3.stream().noneMatch(Future::isDone));
            int arrivedDuringOutage = arrived(eventIds);

            // recovery
            Instant restart = Instant.now();
            sink.start();
            broker.start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> arrived(eventIds) == eventIds.size());
            Duration delay = Duration.between(restart, Instant.now());
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }

            // settled: every offset committed, and still nothing twice
            await().atMost(Duration.ofMinutes(1)).until(this::allCommitted);
            Map<String, Long> perEvent = sink.received().stream()
                    .map(r -> r.body().at("/message/data/event_id").asText())
                    .filter(eventIds::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perEvent).hasSize(eventIds.size());
            assertThat(perEvent.values()).allMatch(count -> count == 1L);
            System.out.printf("FAULT-TEST notifications=%d arrivedExactlyOnce=%d arrivedBeforeRecovery=%d "
                            + "recoveryDelayMs=%d retried=%.0f deduplicatedAtWorker=%.0f duplicatesAtGateway=%.0f%n",
                    eventIds.size(), perEvent.size(), arrivedDuringOutage, delay.toMillis(),
                    counter("tim.push.delivery.retried"), counter("tim.push.delivery.deduplicated"),
                    counter("tim.push.gateway.duplicates"));
        }
    }

    @Test
    void nothingIsLostWhenTheWorkerAndTheGatewayRestart() throws Exception {
        String gatewayUrl = "http://localhost:" + port + "/_matrix/push/v1/notify";
        List<String> eventIds = new ArrayList<>();
        MessageListenerContainer worker = listeners.getListenerContainer("push-delivery");
        try (KafkaProducer<String, PushNotificationRecord> producer = producer()) {
            send(producer, gatewayUrl, eventIds, 1000, 30, "$restart-");
            await().atMost(Duration.ofSeconds(60)).until(() -> arrived(eventIds) >= 5);

            // the gateway goes away while the worker is delivering: the worker retries ...
            double retriedBefore = counter("tim.push.delivery.retried");
            webServer.getWebServer().stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("tim.push.delivery.retried") > retriedBefore);
            // ... and is stopped in the middle of that, with records still to come
            worker.stop();
            send(producer, gatewayUrl, eventIds, 1030, 30, "$restart-");
            producer.flush();

            webServer.getWebServer().start();
            worker.start();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> arrived(eventIds) == eventIds.size());
            await().atMost(Duration.ofMinutes(1)).until(this::allCommitted);
            Map<String, Long> perEvent = sink.received().stream()
                    .map(r -> r.body().at("/message/data/event_id").asText())
                    .filter(eventIds::contains)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(perEvent).hasSize(eventIds.size());
            assertThat(perEvent.values()).allMatch(count -> count == 1L);
        }
    }

    private static List<Future<RecordMetadata>> send(KafkaProducer<String, PushNotificationRecord> producer, String gatewayUrl,
                                                     List<String> eventIds, int from, int count) {
        return send(producer, gatewayUrl, eventIds, from, count, "$fault-");
    }

    private static List<Future<RecordMetadata>> send(KafkaProducer<String, PushNotificationRecord> producer, String gatewayUrl,
                                                     List<String> eventIds, int from, int count, String prefix) {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String eventId = prefix + i;
            eventIds.add(eventId);
            var record = Records.notification(eventId, APP, "fault-pk-" + (i % 8), gatewayUrl);
            futures.add(producer.send(new ProducerRecord<>(TimTopics.PUSH_NOTIFICATIONS.name(), record.key(), record)));
        }
        return futures;
    }

    private static int arrived(List<String> eventIds) {
        return (int) sink.received().stream().map(r -> r.body().at("/message/data/event_id").asText())
                .filter(eventIds::contains).distinct().count();
    }

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private boolean allCommitted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < TimTopics.PUSH_NOTIFICATIONS.defaultPartitions(); p++) {
                request.put(new TopicPartition(TimTopics.PUSH_NOTIFICATIONS.name(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(request).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue().offset()));
        }
    }

    private static KafkaProducer<String, PushNotificationRecord> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return new KafkaProducer<>(props, new StringSerializer(), TimTopics.PUSH_NOTIFICATIONS.valueSerializer());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tim-push-fault-kafka-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
