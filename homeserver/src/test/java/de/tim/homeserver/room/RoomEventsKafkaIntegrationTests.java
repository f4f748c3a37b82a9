package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two homeserver instances on one MongoDB and one Kafka: persisted events reach {@code room-events},
 * and a message sent through instance 1 wakes a long-polling {@code /sync} on instance 2 (the re-check
 * interval is longer than the poll, so only the Kafka wake-up can answer it).
 */
class RoomEventsKafkaIntegrationTests {

    private static final String SECRET = "kafka-it-secret";
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        pair = HomeserverPair.start("kafka", "k.test", SECRET, c -> c.getBean(RoomEventWakeListener.class).isReady(),
                "--tim.homeserver.rooms.sync-recheck-interval=120s");
        first = pair.first();
        second = pair.second();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void concurrentSendsThroughBothInstancesFormOneChain() {
        MatrixTestClient one = pair.client(first);
        MatrixTestClient two = pair.client(second);
        String token = pair.register("c").token();
        String roomId = one.post("/_matrix/client/v3/createRoom", token, Map.of()).text("room_id");
        List<CompletableFuture<MatrixTestClient.Response>> sends = new ArrayList<>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                MatrixTestClient via = i % 2 == 0 ? one : two;
                String txn = "c" + i;
                sends.add(CompletableFuture.supplyAsync(() -> via.put("/_matrix/client/v3/rooms/" + roomId
                        + "/send/m.room.message/" + txn, token, Map.of("msgtype", "m.text", "body", txn)), executor));
            }
            sends.forEach(f -> assertThat(f.join().status()).as(f.join().raw()).isEqualTo(200));
        }
        de.tim.homeserver.domain.Domain domain = first.getBean(de.tim.homeserver.domain.DomainRegistry.class)
                .byServerName("k.test").orElseThrow();
        EventRepository events = first.getBean(EventRepository.class);
        List<StoredEvent> chain = new ArrayList<>();
        events.range(domain.database(), roomId, 0, Long.MAX_VALUE, true, 1000).forEach(d -> chain.add(StoredEvent.of(d)));
        assertThat(chain.stream().filter(e -> e.type().equals("m.room.message"))).hasSize(12);
        for (int i = 1; i < chain.size(); i++) {
            StoredEvent previous = chain.get(i - 1);
            StoredEvent event = chain.get(i);
            assertThat(event.pdu().prevEvents()).extracting(de.tim.matrix.id.EventId::value).containsExactly(previous.eventId());
            assertThat(event.pdu().depth()).isEqualTo(previous.pdu().depth() + 1);
            assertThat(event.pos()).isGreaterThan(previous.pos());
        }
        assertThat(first.getBean(RoomRepository.class).find(domain.database(), roomId).getList("extremities", String.class))
                .containsExactly(chain.get(chain.size() - 1).eventId());
    }

    @Test
    void messageOnInstanceOneWakesSyncOnInstanceTwoAndReachesKafka() {
        MatrixTestClient one = pair.client(first);
        MatrixTestClient two = pair.client(second);
        String token = pair.register("k").token();
        String roomId = one.post("/_matrix/client/v3/createRoom", token, Map.of()).text("room_id");
        // instance two has caught up with the room created through instance one (its events arrive over Kafka)
        String since = await().atMost(Duration.ofSeconds(30)).until(() -> {
            MatrixTestClient.Response initial = two.get("/_matrix/client/v3/sync?timeout=0", token);
            assertThat(initial.status()).as(initial.raw()).isEqualTo(200);
            return initial.body().path("rooms").path("join").has(roomId) ? initial.text("next_batch") : null;
        }, java.util.Objects::nonNull);

        CompletableFuture<MatrixTestClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> two.get("/_matrix/client/v3/sync?timeout=60000&since=" + since, token));
        // the sync must be parked before the message is sent, so that only a wake-up can answer it
        await().atMost(Duration.ofSeconds(30)).until(() -> second.getBean(RoomNotifier.class).waiting("k.test") == 1);
        MatrixTestClient.Response sent = one.put("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/k1", token,
                Map.of("msgtype", "m.text", "body", "across instances"));
        assertThat(sent.status()).isEqualTo(200);
        MatrixTestClient.Response woke = waiting.join();
        assertThat(woke.body().path("rooms").path("join").path(roomId).path("timeline").path("events").toString())
                .contains(sent.text("event_id"));

        try (KafkaConsumer<String, RoomEventRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), TimTopics.ROOM_EVENTS.valueDeserializer())) {
            consumer.subscribe(List.of(TimTopics.ROOM_EVENTS.name()));
            List<RoomEventRecord> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, RoomEventRecord> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(r.value());
                }
                return records.stream().anyMatch(r -> r.eventId().equals(sent.text("event_id")));
            });
            RoomEventRecord record = records.stream().filter(r -> r.eventId().equals(sent.text("event_id"))).findFirst().orElseThrow();
            assertThat(record.domain()).isEqualTo("k.test");
            assertThat(record.roomId()).isEqualTo(roomId);
            assertThat(record.type()).isEqualTo("m.room.message");
            assertThat(record.streamPosition()).isPositive();
            assertThat(record.pdu().path("signatures").has("k.test")).isTrue();
            assertThat(records.stream().filter(r -> r.roomId().equals(roomId)).map(RoomEventRecord::type))
                    .contains("m.room.create", "m.room.member", "m.room.power_levels");
        }
    }
}
