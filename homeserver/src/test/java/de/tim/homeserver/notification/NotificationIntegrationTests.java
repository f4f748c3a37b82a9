package de.tim.homeserver.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Push over HTTP and Kafka: events sent through the client API are evaluated from {@code room-events},
 * push records appear on {@code push-notifications}, counts in {@code /sync} and {@code /notifications},
 * and a rejected pushkey on {@code push-rejected-pushkeys} removes the pusher.
 */
class NotificationIntegrationTests extends HomeserverIntegrationTest {

    private static final String GATEWAY = "https://push.example.test/_matrix/push/v1/notify";
    private static KafkaConsumer<String, PushNotificationRecord> pushes;
    private static final List<PushNotificationRecord> RECEIVED = new CopyOnWriteArrayList<>();

    @Autowired
    private PushEvaluationListener evaluation;
    @Autowired
    private RejectedPushkeyListener rejected;
    @Autowired
    private NotificationService notifications;
    @Autowired
    private DomainRegistry domains;
    @Autowired
    private NotificationPruning pruning;

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(60)).until(() -> evaluation.isReady() && rejected.isReady());
        if (pushes == null) {
            pushes = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    TimTopics.PUSH_NOTIFICATIONS.valueDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : pushes.partitionsFor(TimTopics.PUSH_NOTIFICATIONS.name(), Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            pushes.assign(partitions);
            pushes.seekToEnd(partitions);
            partitions.forEach(pushes::position);
        }
    }

    @AfterAll
    static void close() {
        if (pushes != null) {
            pushes.close();
            pushes = null;
        }
    }

    private static PushNotificationRecord awaitPush(Predicate<PushNotificationRecord> wanted) {
        List<PushNotificationRecord> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, PushNotificationRecord> r : pushes.poll(Duration.ofMillis(200))) {
                RECEIVED.add(r.value());
            }
            RECEIVED.stream().filter(wanted).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.getFirst();
    }

    private static List<PushNotificationRecord> received(String eventId) {
        return RECEIVED.stream().filter(r -> eventId.equals(r.notification().eventId())).toList();
    }

    private String pusher(TestUser user, String format) {
        String pushkey = "pk-" + UUID.randomUUID();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", GATEWAY);
        if (format != null) {
            data.put("format", format);
        }
        MatrixTestClient.Response r = user.client().post("/_matrix/client/v3/pushers/set", user.accessToken(), Map.of(
                "pushkey", pushkey, "kind", "http", "app_id", "de.tim.test", "app_display_name", "TI-M",
                "device_display_name", "Phone", "lang", "de", "data", data));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return pushkey;
    }

    private String room(TestUser creator, boolean direct, TestUser... members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("preset", "private_chat");
        body.put("is_direct", direct);
        body.put("invite", java.util.Arrays.stream(members).map(TestUser::userId).toList());
        MatrixTestClient.Response created = creator.client().post("/_matrix/client/v3/createRoom", creator.accessToken(), body);
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String roomId = created.text("room_id");
        for (TestUser m : members) {
            MatrixTestClient.Response joined = m.client().post("/_matrix/client/v3/join/" + roomId, m.accessToken(), Map.of());
            assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        }
        return roomId;
    }

    private static String send(TestUser sender, String roomId, Map<String, Object> content) {
        MatrixTestClient.Response r = sender.client().put("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/"
                + UUID.randomUUID(), sender.accessToken(), content);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("event_id");
    }

    private static String text(TestUser sender, String roomId, String body) {
        return send(sender, roomId, Map.of("msgtype", "m.text", "body", body));
    }

    private static JsonNode unread(TestUser user, String roomId) {
        MatrixTestClient.Response sync = user.client().get("/_matrix/client/v3/sync?timeout=0", user.accessToken());
        assertThat(sync.status()).as(sync.raw()).isEqualTo(200);
        return sync.body().path("rooms").path("join").path(roomId).path("unread_notifications");
    }

    @Test
    void dmMessageNotifiesThePartnersPushersInBothFormats() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String full = pusher(bob, null);
        String idOnly = pusher(bob, "event_id_only");
        String roomId = room(alice, true, bob);
        String eventId = text(alice, roomId, "hello bob");

        PushNotificationRecord record = awaitPush(r -> eventId.equals(r.notification().eventId())
                && full.equals(r.key()));
        assertThat(record.domain()).isEqualTo(A);
        assertThat(record.userId()).isEqualTo(bob.userId());
        assertThat(record.gatewayUrl()).isEqualTo(GATEWAY);
        PushNotificationRecord.Notification n = record.notification();
        assertThat(n.roomId()).isEqualTo(roomId);
        assertThat(n.type()).isEqualTo("m.room.message");
        assertThat(n.sender()).isEqualTo(alice.userId());
        assertThat(n.content().path("body").asText()).isEqualTo("hello bob");
        assertThat(n.prio()).isEqualTo("high");
        assertThat(n.counts().unread()).isGreaterThanOrEqualTo(1L);
        assertThat(n.devices()).singleElement().satisfies(d -> {
            assertThat(d.appId()).isEqualTo("de.tim.test");
            assertThat(d.tweaks()).containsEntry("sound", "default");
            assertThat(d.data()).doesNotContainKey("url");
        });
        assertThat(record.id()).isEqualTo(NotificationService.recordId(eventId, "de.tim.test", full));

        PushNotificationRecord minimal = awaitPush(r -> eventId.equals(r.notification().eventId()) && idOnly.equals(r.key()));
        assertThat(minimal.notification().type()).isNull();
        assertThat(minimal.notification().sender()).isNull();
        assertThat(minimal.notification().content()).isNull();
        assertThat(minimal.notification().roomId()).isEqualTo(roomId);
        assertThat(minimal.notification().counts().unread()).isGreaterThanOrEqualTo(1L);
        // the sender is never notified of their own event
        assertThat(received(eventId)).allSatisfy(r -> assertThat(r.userId()).isEqualTo(bob.userId()));
    }

    @Test
    void mentionHighlightsNoticeDoesNotNotifyAndCountsResetAfterReceipt() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        String pushkey = pusher(bob, null);
        String roomId = room(alice, false, bob, carol);

        String notice = send(alice, roomId, Map.of("msgtype", "m.notice", "body", "bot output"));
        String plain = text(alice, roomId, "morning all");
        String mention = send(alice, roomId, Map.of("msgtype", "m.text", "body", "bob: please look",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));

        PushNotificationRecord highlighted = awaitPush(r -> mention.equals(r.notification().eventId()) && pushkey.equals(r.key()));
        assertThat(highlighted.notification().devices().getFirst().tweaks()).containsEntry("highlight", true);
        // events of one room are evaluated in order: the notice's record would have come before
        assertThat(received(notice)).isEmpty();
        PushNotificationRecord plainRecord = received(plain).getFirst();
        assertThat(plainRecord.notification().devices().getFirst().tweaks()).isNull();
        assertThat(plainRecord.notification().prio()).isEqualTo("low");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode counts = unread(bob, roomId);
            assertThat(counts.path("notification_count").asLong()).isEqualTo(2);
            assertThat(counts.path("highlight_count").asLong()).isEqualTo(1);
        });
        // carol got the plain message, not the mention highlight
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode counts = unread(carol, roomId);
            assertThat(counts.path("notification_count").asLong()).isEqualTo(2);
            assertThat(counts.path("highlight_count").asLong()).isZero();
        });
        // the sender has read their own events
        assertThat(unread(alice, roomId).path("notification_count").asLong()).isZero();

        // a redelivered event does not count twice
        notifications.evaluate(domains.byServerName(A).orElseThrow(), mention);
        assertThat(unread(bob, roomId).path("notification_count").asLong()).isEqualTo(2);

        // a receipt on the plain message reads it, the later mention stays unread
        MatrixTestClient.Response receipt = bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + plain,
                bob.accessToken(), Map.of());
        assertThat(receipt.status()).as(receipt.raw()).isEqualTo(200);
        JsonNode afterFirst = unread(bob, roomId);
        assertThat(afterFirst.path("notification_count").asLong()).isEqualTo(1);
        assertThat(afterFirst.path("highlight_count").asLong()).isEqualTo(1);
        MatrixTestClient.Response marker = bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/read_markers",
                bob.accessToken(), Map.of("m.fully_read", mention, "m.read.private", mention));
        assertThat(marker.status()).as(marker.raw()).isEqualTo(200);
        JsonNode afterAll = unread(bob, roomId);
        assertThat(afterAll.path("notification_count").asLong()).isZero();
        assertThat(afterAll.path("highlight_count").asLong()).isZero();
        // carol's counts are her own
        assertThat(unread(carol, roomId).path("notification_count").asLong()).isEqualTo(2);
    }

    @Test
    void disabledRuleSilencesAndInviteNotifiesTheInvitee() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String pushkey = pusher(bob, null);
        String roomId = room(alice, true, bob);
        for (String rule : List.of(".m.rule.room_one_to_one", ".m.rule.message")) {
            MatrixTestClient.Response r = bob.client().put("/_matrix/client/v3/pushrules/global/underride/" + rule + "/enabled",
                    bob.accessToken(), Map.of("enabled", false));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
        String silenced = text(alice, roomId, "you will not hear this");
        String mention = send(alice, roomId, Map.of("msgtype", "m.text", "body", "but this",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        awaitPush(r -> mention.equals(r.notification().eventId()) && pushkey.equals(r.key()));
        assertThat(received(silenced)).isEmpty();

        TestUser carol = registerA("carol");
        String carolKey = pusher(carol, null);
        MatrixTestClient.Response created = alice.client().post("/_matrix/client/v3/createRoom", alice.accessToken(),
                Map.of("invite", List.of(carol.userId())));
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        PushNotificationRecord invite = awaitPush(r -> carolKey.equals(r.key()));
        assertThat(invite.notification().type()).isEqualTo("m.room.member");
        assertThat(invite.notification().userIsTarget()).isTrue();
        assertThat(invite.notification().roomId()).isEqualTo(created.text("room_id"));
    }

    @Test
    void notificationsEndpointListsPagesAndFiltersHighlights() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String pushkey = pusher(bob, null);
        String roomId = room(alice, true, bob);
        String first = text(alice, roomId, "one");
        String second = send(alice, roomId, Map.of("msgtype", "m.text", "body", "two",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        awaitPush(r -> second.equals(r.notification().eventId()) && pushkey.equals(r.key()));
        // the invite into the DM notified bob too (.m.rule.invite_for_me); his join read it
        await().atMost(Duration.ofSeconds(30)).until(() ->
                bob.client().get("/_matrix/client/v3/notifications", bob.accessToken()).body().path("notifications").size() == 3);

        MatrixTestClient.Response all = bob.client().get("/_matrix/client/v3/notifications", bob.accessToken());
        JsonNode list = all.body().path("notifications");
        assertThat(list.get(0).path("event").path("event_id").asText()).isEqualTo(second);
        assertThat(list.get(1).path("event").path("event_id").asText()).isEqualTo(first);
        assertThat(list.get(2).path("event").path("type").asText()).isEqualTo("m.room.member");
        assertThat(list.get(2).path("read").asBoolean()).isTrue();
        assertThat(list.get(0).path("room_id").asText()).isEqualTo(roomId);
        assertThat(list.get(0).path("read").asBoolean()).isFalse();
        assertThat(list.get(0).path("ts").isIntegralNumber()).isTrue();
        assertThat(list.get(0).path("actions").toString()).contains("highlight");
        assertThat(list.get(0).path("event").path("content").path("body").asText()).isEqualTo("two");
        assertThat(all.body().has("next_token")).isFalse();

        MatrixTestClient.Response page1 = bob.client().get("/_matrix/client/v3/notifications?limit=1", bob.accessToken());
        assertThat(page1.body().path("notifications")).hasSize(1);
        String next = page1.text("next_token");
        assertThat(next).isNotNull();
        MatrixTestClient.Response page2 = bob.client().get("/_matrix/client/v3/notifications?limit=1&from=" + next,
                bob.accessToken());
        assertThat(page2.body().path("notifications").get(0).path("event").path("event_id").asText()).isEqualTo(first);

        MatrixTestClient.Response highlights = bob.client().get("/_matrix/client/v3/notifications?only=highlight",
                bob.accessToken());
        assertThat(highlights.body().path("notifications")).hasSize(1);
        assertThat(highlights.body().path("notifications").get(0).path("event").path("event_id").asText()).isEqualTo(second);

        bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + second, bob.accessToken(), Map.of());
        assertThat(bob.client().get("/_matrix/client/v3/notifications", bob.accessToken()).body().path("notifications"))
                .allSatisfy(n -> assertThat(n.path("read").asBoolean()).isTrue());

        // the sender has none; bad parameters are client errors
        assertThat(alice.client().get("/_matrix/client/v3/notifications", alice.accessToken()).body().path("notifications"))
                .isEmpty();
        assertThat(bob.client().get("/_matrix/client/v3/notifications?limit=x", bob.accessToken()).status()).isEqualTo(400);
        assertThat(bob.client().get("/_matrix/client/v3/notifications?limit=0", bob.accessToken()).status()).isEqualTo(400);
        assertThat(bob.client().get("/_matrix/client/v3/notifications?from=x", bob.accessToken()).status()).isEqualTo(400);
        assertThat(bob.client().get("/_matrix/client/v3/notifications", null).status()).isEqualTo(401);

        // expired notifications are pruned (retention 30 days by default)
        assertThat(pruning.pruneOnce(System.currentTimeMillis() + Duration.ofDays(31).toMillis())).isGreaterThanOrEqualTo(3);
        assertThat(bob.client().get("/_matrix/client/v3/notifications", bob.accessToken()).body().path("notifications")).isEmpty();
    }

    @Test
    void countsFollowMessagesReceiptsAndMentionsInLongPollingSyncs() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = room(alice, false, bob);
        String since = bob.client().get("/_matrix/client/v3/sync?timeout=0", bob.accessToken()).text("next_batch");
        text(alice, roomId, "one");
        String mention = send(alice, roomId, Map.of("msgtype", "m.text", "body", "bob, two",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        // each response carries the counts of what it returned, either at once or through a correction
        long[] counts = new long[2];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode sync = bob.client().get("/_matrix/client/v3/sync?timeout=5000&since=" + since, bob.accessToken()).body();
            JsonNode unread = sync.path("rooms").path("join").path(roomId).path("unread_notifications");
            counts[0] = unread.path("notification_count").asLong();
            counts[1] = unread.path("highlight_count").asLong();
            return counts[0] == 2;
        });
        assertThat(counts[1]).isEqualTo(1);
        MatrixTestClient.Response receipt = bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + mention,
                bob.accessToken(), Map.of());
        assertThat(receipt.status()).as(receipt.raw()).isEqualTo(200);
        JsonNode afterReceipt = bob.client().get("/_matrix/client/v3/sync?timeout=0&since=" + since, bob.accessToken()).body()
                .path("rooms").path("join").path(roomId).path("unread_notifications");
        assertThat(afterReceipt.path("notification_count").asLong()).isZero();
        assertThat(afterReceipt.path("highlight_count").asLong()).isZero();
    }

    @Test
    void threadedReceiptsReadOnlyTheirThread() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = room(alice, true, bob);
        String root = text(alice, roomId, "root");
        String reply = send(alice, roomId, Map.of("msgtype", "m.text", "body", "in the thread",
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
        String later = text(alice, roomId, "main again");
        await().atMost(Duration.ofSeconds(30)).until(() -> unread(bob, roomId).path("notification_count").asLong() == 3);

        // a receipt in the thread at its reply reads the reply only (the main timeline stays unread)
        MatrixTestClient.Response inThread = bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + reply,
                bob.accessToken(), Map.of("thread_id", root));
        assertThat(inThread.status()).as(inThread.raw()).isEqualTo(200);
        assertThat(unread(bob, roomId).path("notification_count").asLong()).isEqualTo(2);
        // a main-timeline receipt at the root reads the root, not the later main message
        bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + root, bob.accessToken(),
                Map.of("thread_id", "main"));
        assertThat(unread(bob, roomId).path("notification_count").asLong()).isEqualTo(1);
        // an unthreaded receipt reads everything up to its event
        bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + later, bob.accessToken(), Map.of());
        assertThat(unread(bob, roomId).path("notification_count").asLong()).isZero();
    }

    @Test
    void perThreadCountsWhenTheTimelineFilterAsksForThem() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = room(alice, true, bob);
        String root = text(alice, roomId, "root");
        String reply = send(alice, roomId, Map.of("msgtype", "m.text", "body", "first reply",
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
        String mention = send(alice, roomId, Map.of("msgtype", "m.text", "body", "second reply " + bob.userId(),
                "m.mentions", Map.of("user_ids", List.of(bob.userId())),
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
        await().atMost(Duration.ofSeconds(30)).until(() -> unread(bob, roomId).path("notification_count").asLong() == 3);

        String filter = URLEncoder.encode("{\"room\":{\"timeline\":{\"unread_thread_notifications\":true}}}",
                StandardCharsets.UTF_8);
        JsonNode room = threaded(bob, roomId, filter);
        assertThat(room.path("unread_notifications").path("notification_count").asLong()).as(room.toString()).isEqualTo(1);
        JsonNode thread = room.path("unread_thread_notifications").path(root);
        assertThat(thread.path("notification_count").asLong()).as(room.toString()).isEqualTo(2);
        assertThat(thread.path("highlight_count").asLong()).isEqualTo(1);
        // without the option: one count for the whole room, no per-thread object
        assertThat(unread(bob, roomId).path("notification_count").asLong()).isEqualTo(3);

        // reading the thread empties its entry; the object is left out when no thread has unread notifications
        bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + reply, bob.accessToken(),
                Map.of("thread_id", root));
        assertThat(threaded(bob, roomId, filter).path("unread_thread_notifications").path(root).path("notification_count")
                .asLong()).isEqualTo(1);
        // an unthreaded receipt at the newest event reads the main timeline and every thread
        bob.client().post("/_matrix/client/v3/rooms/" + roomId + "/receipt/m.read/" + mention, bob.accessToken(), Map.of());
        JsonNode allRead = threaded(bob, roomId, filter);
        assertThat(allRead.has("unread_thread_notifications")).as(allRead.toString()).isFalse();
        assertThat(allRead.path("unread_notifications").path("notification_count").asLong()).isZero();
    }

    private static JsonNode threaded(TestUser user, String roomId, String encodedFilter) {
        MatrixTestClient.Response sync = user.client().get("/_matrix/client/v3/sync?timeout=0&filter=" + encodedFilter,
                user.accessToken());
        assertThat(sync.status()).as(sync.raw()).isEqualTo(200);
        return sync.body().path("rooms").path("join").path(roomId);
    }

    @Test
    void anUnreadableRoomEventRecordDoesNotBlockEvaluation() throws Exception {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String pushkey = pusher(bob, null);
        String roomId = room(alice, true, bob);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(TimTopics.ROOM_EVENTS.name(), roomId, "{}")).get();
        }
        String eventId = text(alice, roomId, "after the bad record");
        awaitPush(r -> eventId.equals(r.notification().eventId()) && pushkey.equals(r.key()));
    }

    @Test
    void rejectedPushkeyRemovesThePusher() throws Exception {
        TestUser bob = registerA("bob");
        String rejectedKey = pusher(bob, null);
        String keptKey = pusher(bob, null);
        try (KafkaProducer<String, RejectedPushkeyRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()), new StringSerializer(),
                TimTopics.PUSHKEYS_REJECTED.valueSerializer())) {
            RejectedPushkeyRecord record = new RejectedPushkeyRecord(A, bob.userId(), "de.tim.test", rejectedKey, GATEWAY,
                    System.currentTimeMillis());
            producer.send(new ProducerRecord<>(TimTopics.PUSHKEYS_REJECTED.name(), record.key(), record)).get();
            producer.send(new ProducerRecord<>(TimTopics.PUSHKEYS_REJECTED.name(), record.key(), record)).get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode list = bob.client().get("/_matrix/client/v3/pushers", bob.accessToken()).body().path("pushers");
            assertThat(list.findValuesAsText("pushkey")).containsExactly(keptKey);
        });
    }
}
