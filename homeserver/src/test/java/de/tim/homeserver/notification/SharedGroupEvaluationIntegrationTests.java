package de.tim.homeserver.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two homeserver instances on one MongoDB and one Kafka in the same evaluation group: messages sent through
 * both instances are evaluated once each, so every event yields exactly one push record per pusher. Each instance's
 * outbox publishes the events persisted there, so the order in which events of both instances reach the evaluation
 * is not promised (only per instance); the test does not assume one.
 */
class SharedGroupEvaluationIntegrationTests {

    private static final String SECRET = "group-it-secret";
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        String group = "push-group-" + UUID.randomUUID();
        pair = HomeserverPair.start("pushgroup", "g.test", SECRET, c -> c.getBean(PushEvaluationListener.class).isReady(),
                "--tim.homeserver.push.group-id=" + group,
                "--tim.homeserver.push.rejected-group-id=" + group + "-rejected",
                "--tim.homeserver.rate-limit.message.per-second=1000",
                "--tim.homeserver.rate-limit.message.burst-count=1000");
        first = pair.first();
        second = pair.second();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static void poll(KafkaConsumer<String, PushNotificationRecord> pushes, String pushkey, List<String> pushed) {
        for (ConsumerRecord<String, PushNotificationRecord> r : pushes.poll(Duration.ofMillis(200))) {
            if (pushkey.equals(r.key()) && r.value().notification().type().equals("m.room.message")) {
                pushed.add(r.value().notification().eventId());
            }
        }
    }

    @Test
    void eachEventIsEvaluatedOnceAcrossInstances() {
        MatrixTestClient one = pair.client(first);
        MatrixTestClient two = pair.client(second);
        String alice = pair.register(first, "alice").token();
        HomeserverPair.User bob = pair.register(second, "bob");
        String pushkey = "pk-" + UUID.randomUUID();
        assertThat(two.post("/_matrix/client/v3/pushers/set", bob.token(), Map.of("pushkey", pushkey, "kind", "http",
                "app_id", "de.tim.test", "app_display_name", "TI-M", "device_display_name", "Phone", "lang", "de",
                "data", Map.of("url", "https://push.example.test/_matrix/push/v1/notify"))).status()).isEqualTo(200);
        String roomId = one.post("/_matrix/client/v3/createRoom", alice, Map.of("is_direct", true,
                "invite", List.of(bob.id()))).text("room_id");
        assertThat(two.post("/_matrix/client/v3/join/" + roomId, bob.token(), Map.of()).status()).isEqualTo(200);

        try (KafkaConsumer<String, PushNotificationRecord> pushes = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                TimTopics.PUSH_NOTIFICATIONS.valueDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : pushes.partitionsFor(TimTopics.PUSH_NOTIFICATIONS.name(), Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            pushes.assign(partitions);
            pushes.seekToEnd(partitions);
            partitions.forEach(pushes::position);

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                MatrixTestClient via = i % 2 == 0 ? one : two;
                MatrixTestClient.Response r = via.put("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/g" + i, alice,
                        Map.of("msgtype", "m.text", "body", "message " + i));
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                sent.add(r.text("event_id"));
            }
            List<String> pushed = new ArrayList<>();
            // each instance's outbox publishes the events it persisted, so events sent through both instances reach
            // room-events (and the evaluation) in no promised order across the instances: wait for all of them
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                poll(pushes, pushkey, pushed);
                return pushed.containsAll(sent);
            });
            // and a while longer: an event evaluated twice (or published again) would yield a second push record
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
                poll(pushes, pushkey, pushed);
                return pushed.size() == sent.size();
            });
            assertThat(pushed).containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
