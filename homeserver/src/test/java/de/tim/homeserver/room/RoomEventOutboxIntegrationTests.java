package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two homeserver instances on one MongoDB and one Kafka: each event reaches {@code room-events} once (the
 * instance that persisted it publishes it), and an event whose instance stopped publishing is taken over by the
 * other one after the claim ran out.
 */
class RoomEventOutboxIntegrationTests {

    private static final String SECRET = "outbox-it-secret";
    private static final String DOMAIN = "o.test";
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private KafkaConsumer<String, RoomEventRecord> published;
    private final List<RoomEventRecord> received = new ArrayList<>();

    @BeforeAll
    static void start() {
        pair = HomeserverPair.start("outbox", DOMAIN, SECRET, c -> true,
                "--tim.homeserver.push.enabled=false",
                "--tim.homeserver.rate-limit.message.per-second=1000",
                "--tim.homeserver.rate-limit.message.burst-count=1000",
                "--tim.homeserver.rooms.outbox-lease=5s");
        first = pair.first();
        second = pair.second();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @BeforeEach
    void consumeFromTheEnd() {
        published = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), TimTopics.ROOM_EVENTS.valueDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo p : published.partitionsFor(TimTopics.ROOM_EVENTS.name(), Duration.ofSeconds(10))) {
            partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
        published.assign(partitions);
        published.seekToEnd(partitions);
        partitions.forEach(published::position);
    }

    @AfterEach
    void close() {
        published.close();
    }

    private static String send(MatrixTestClient via, String token, String roomId, String body) {
        MatrixTestClient.Response r = via.put("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/" + UUID.randomUUID(),
                token, Map.of("msgtype", "m.text", "body", body));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("event_id");
    }

    private long copies(String eventId) {
        return received.stream().filter(r -> r.eventId().equals(eventId)).count();
    }

    private void awaitPublished(List<String> eventIds) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, RoomEventRecord> r : published.poll(Duration.ofMillis(200))) {
                received.add(r.value());
            }
            return eventIds.stream().allMatch(id -> copies(id) > 0);
        });
    }

    @Test
    void eachEventIsPublishedOnceAlthoughBothInstancesRunAnOutbox() {
        MatrixTestClient one = pair.client(first);
        MatrixTestClient two = pair.client(second);
        String token = pair.register("o").token();
        String roomId = one.post("/_matrix/client/v3/createRoom", token, Map.of()).text("room_id");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(send(i % 2 == 0 ? one : two, token, roomId, "message " + i));
        }
        awaitPublished(sent);
        // later events through both instances: by the time they arrived, a second copy of an earlier one would have too
        List<String> markers = List.of(send(one, token, roomId, "marker one"), send(two, token, roomId, "marker two"));
        awaitPublished(markers);
        for (String eventId : sent) {
            assertThat(copies(eventId)).as("copies of %s", eventId).isEqualTo(1);
        }
        assertThat(received.stream().filter(r -> r.eventId().equals(sent.getFirst())).findFirst().orElseThrow().domain())
                .isEqualTo(DOMAIN);
    }

    @Test
    void anEventOfAnInstanceThatStoppedPublishingIsTakenOverAfterItsClaim() {
        MatrixTestClient one = pair.client(first);
        String token = pair.register("o").token();
        String roomId = one.post("/_matrix/client/v3/createRoom", token, Map.of()).text("room_id");
        RoomEventOutbox outboxOne = first.getBean(RoomEventOutbox.class);
        outboxOne.stop();
        String eventId;
        try {
            // instance one persists the event and claims it, but cannot publish it ("crashed" publisher)
            eventId = send(one, token, roomId, "while instance one's outbox is down");
            Domain domain = first.getBean(DomainRegistry.class).byServerName(DOMAIN).orElseThrow();
            assertThat(first.getBean(OutboxRepository.class).contains(domain.database(), eventId)).isTrue();
            // instance two publishes it once the claim ran out (outbox-lease 5 s)
            awaitPublished(List.of(eventId));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !first.getBean(OutboxRepository.class).contains(domain.database(), eventId));
        } finally {
            outboxOne.start();
        }
        String after = send(one, token, roomId, "instance one publishes again");
        awaitPublished(List.of(after));
        assertThat(copies(eventId)).isEqualTo(1);
    }
}
