package de.tim.push.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.push.sink.ProviderSink;
import de.tim.testsupport.MongoWireServers;
import de.tim.testsupport.SharedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Outcomes of the delivery worker other than success: rejected pushkeys are published for the homeserver;
 * permanent failures, unreadable records and records whose retries are exhausted go to the dead-letter topic.
 * Uses the shared broker with a short retry bound (2s of back-off).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tim.push.delivery.max-elapsed-time=2s", "tim.push.delivery.max-interval=500ms"})
@ActiveProfiles("delivery-test")
class DeadLetterIntegrationTests {

    private static final String APP = "de.tim.android";
    private static final ProviderSink sink = new ProviderSink().start();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", SharedKafkaBroker::bootstrapServers);
        registry.add("spring.data.mongodb.uri", () -> MongoWireServers.shared().connectionString());
        registry.add("tim.push.mongo.database", () -> MongoWireServers.uniqueDatabaseName("dlt"));
        registry.add("tim.push.delivery.group-id", () -> "tim-push-delivery-" + UUID.randomUUID());
        registry.add("tim.push.gateway.apps.[" + APP + "].type", () -> "fcm");
        registry.add("tim.push.gateway.apps.[" + APP + "].fcm.base-url", () -> sink.baseUrl().toString());
        registry.add("tim.push.gateway.apps.[" + APP + "].fcm.service-account-json", sink::serviceAccountJson);
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    private String gatewayUrl() {
        return "http://localhost:" + port + "/_matrix/push/v1/notify";
    }

    private static void publish(String key, byte[] value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TimTopics.PUSH_NOTIFICATIONS.name(), key, value)).get();
        }
    }

    private static void publish(PushNotificationRecord record) throws Exception {
        publish(record.key(), TimTopics.PUSH_NOTIFICATIONS.valueSerializer().serialize("t", record));
    }

    /** Waits until a record matching the predicate is on the topic. */
    private static ConsumerRecord<String, byte[]> awaitRecord(String topic, java.util.function.Predicate<ConsumerRecord<String, byte[]>> match) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (match.test(r)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.getFirst();
        }
    }

    private static boolean contains(ConsumerRecord<String, byte[]> record, String text) {
        return record.value() != null && new String(record.value(), StandardCharsets.UTF_8).contains(text);
    }

    @Test
    void rejectedPushkeysArePublishedForTheHomeserver() throws Exception {
        sink.unregister("dlt-gone");
        publish(Records.notification("$rej-1", APP, "dlt-gone", gatewayUrl()));

        var record = awaitRecord(TimTopics.PUSHKEYS_REJECTED.name(), r -> "dlt-gone".equals(r.key()));
        RejectedPushkeyRecord rejected = TimTopics.PUSHKEYS_REJECTED.valueDeserializer().deserialize("t", record.value());
        assertThat(rejected.appId()).isEqualTo(APP);
        assertThat(rejected.userId()).isEqualTo("@bob:praxis-a.tim.local");
        assertThat(rejected.domain()).isEqualTo("praxis-a.tim.local");
        assertThat(rejected.gatewayUrl()).isEqualTo(gatewayUrl());
        await().atMost(Duration.ofSeconds(10)).until(() -> counter("tim.push.delivery.rejected") >= 1);
    }

    @Test
    void aGatewayRefusingTheRequestIsDeadLetteredWithoutRetries() throws Exception {
        publish(Records.notification("$dlt-404", APP, "dlt-pk-1", "http://localhost:" + port + "/_matrix/push/v1/nowhere"));
        var dead = awaitRecord(TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.name(), r -> contains(r, "$dlt-404"));
        PushNotificationRecord value = TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.valueDeserializer().deserialize("t", dead.value());
        assertThat(value.notification().eventId()).isEqualTo("$dlt-404");
        assertThat(dead.key()).isEqualTo("dlt-pk-1");
    }

    @Test
    void anUnreachableGatewayIsDeadLetteredAfterTheRetryBound() throws Exception {
        double retried = counter("tim.push.delivery.retried");
        publish(Records.notification("$dlt-unreachable", APP, "dlt-pk-2", "http://127.0.0.1:1/_matrix/push/v1/notify"));
        awaitRecord(TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.name(), r -> contains(r, "$dlt-unreachable"));
        assertThat(counter("tim.push.delivery.retried")).isGreaterThan(retried + 1);
        assertThat(counter("tim.push.delivery.dead_lettered")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void unreadableRecordsAreDeadLetteredAsTheyAre() throws Exception {
        publish("garbage-key", "{\"not\":\"a notification\" -- garbage".getBytes(StandardCharsets.UTF_8));
        var dead = awaitRecord(TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.name(), r -> "garbage-key".equals(r.key()));
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).contains("garbage");
    }

    @Test
    void consumerLagIsExposedAsAMetric() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> meters.find("kafka.consumer.fetch.manager.records.lag.max").meter() != null);
    }

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }
}
