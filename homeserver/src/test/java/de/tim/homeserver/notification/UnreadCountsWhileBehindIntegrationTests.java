package de.tim.homeserver.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.room.NotificationEventReader;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Unread counts while the push evaluation is behind, over HTTP: {@code /sync} never evaluates push rules itself,
 * so an event that is not evaluated yet comes with the counts evaluated so far, and the next sync answers the room
 * again with the corrected counts once the evaluation caught up. Own instance and database, so that no other
 * test context's evaluation reaches its events.
 */
class UnreadCountsWhileBehindIntegrationTests {

    private static final String SECRET = "behind-it-secret";
    private static final String DOMAIN = "behind.test";
    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        String database = MongoWireServers.uniqueDatabaseName("behind");
        app = HomeserverPair.instance(database, DOMAIN, SECRET, List.of(),
                "--tim.homeserver.push.group-id=behind-" + UUID.randomUUID(),
                "--tim.homeserver.push.rejected-group-id=behind-rejected-" + UUID.randomUUID(),
                "--tim.homeserver.push.sync-count-wait=1s",
                "--tim.homeserver.rate-limit.message.per-second=1000",
                "--tim.homeserver.rate-limit.message.burst-count=1000");
        await().atMost(Duration.ofSeconds(90)).until(() -> app.getBean(PushEvaluationListener.class).isReady());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static MatrixTestClient client() {
        return HomeserverPair.client(app, DOMAIN);
    }

    private static String text(String token, String roomId, String body) {
        MatrixTestClient.Response r = client().put("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/" + UUID.randomUUID(),
                token, Map.of("msgtype", "m.text", "body", body));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("event_id");
    }

    private static MatrixTestClient.Response sync(String token, String query) {
        MatrixTestClient.Response sync = client().get("/_matrix/client/v3/sync?" + query, token);
        assertThat(sync.status()).as(sync.raw()).isEqualTo(200);
        return sync;
    }

    private static long count(MatrixTestClient.Response sync, String roomId) {
        return sync.body().path("rooms").path("join").path(roomId).path("unread_notifications").path("notification_count").asLong();
    }

    @Test
    void theEventComesWithTheEvaluatedCountAndTheNextSyncCorrectsItOnce() {
        String alice = HomeserverPair.register(client(), SECRET, "alice").token();
        HomeserverPair.User bobUser = HomeserverPair.register(client(), SECRET, "bob");
        String bob = bobUser.token();
        MatrixTestClient.Response created = client().post("/_matrix/client/v3/createRoom", alice, Map.of("is_direct", true,
                "invite", List.of(bobUser.id())));
        String roomId = created.text("room_id");
        assertThat(client().post("/_matrix/client/v3/join/" + roomId, bob, Map.of()).status()).isEqualTo(200);
        text(alice, roomId, "before");
        await().atMost(Duration.ofSeconds(60)).until(() -> count(sync(bob, "timeout=0"), roomId) == 1);
        String since = sync(bob, "timeout=0").text("next_batch");

        PushEvaluationListener evaluation = app.getBean(PushEvaluationListener.class);
        evaluation.stop();
        String eventId;
        String next;
        try {
            eventId = text(alice, roomId, "while the evaluation is stopped");
            // after waiting sync-count-wait for the evaluation, the event comes with the count evaluated so far
            MatrixTestClient.Response behind = sync(bob, "timeout=0&since=" + since);
            JsonNode room = behind.body().path("rooms").path("join").path(roomId);
            assertThat(room.path("timeline").path("events").findValuesAsText("event_id")).containsExactly(eventId);
            assertThat(count(behind, roomId)).isEqualTo(1);
            next = behind.text("next_batch");
            // while the evaluation stays behind, nothing is answered again
            assertThat(sync(bob, "timeout=0&since=" + next).body().path("rooms").path("join").has(roomId)).isFalse();
        } finally {
            evaluation.start();
        }
        // the long-polling next sync answers the room again once the evaluation caught up: corrected count, no events
        MatrixTestClient.Response corrected = sync(bob, "timeout=60000&since=" + next);
        JsonNode room = corrected.body().path("rooms").path("join").path(roomId);
        assertThat(room.path("timeline").path("events")).isEmpty();
        assertThat(room.path("unread_notifications").path("notification_count").asLong()).isEqualTo(2);
        // the correction is given once; the count does not double
        assertThat(sync(bob, "timeout=0&since=" + next).body().path("rooms").path("join").has(roomId)).isFalse();
        assertThat(count(sync(bob, "timeout=0"), roomId)).isEqualTo(2);
        // the sender's own events never count for them
        assertThat(count(sync(alice, "timeout=0"), roomId)).isZero();
    }

    /**
     * Several instances publish a room's events from their own outboxes, so a later event can reach the evaluation
     * before an earlier one: the room's evaluated position must not pass the earlier event, else a sync would take
     * its counts as complete and never correct them.
     */
    @Test
    void aLaterEventEvaluatedFirstDoesNotCompleteTheCountsOfAnEarlierOne() {
        String alice = HomeserverPair.register(client(), SECRET, "alice").token();
        HomeserverPair.User bobUser = HomeserverPair.register(client(), SECRET, "bob");
        String bob = bobUser.token();
        String roomId = client().post("/_matrix/client/v3/createRoom", alice, Map.of("is_direct", true,
                "invite", List.of(bobUser.id()))).text("room_id");
        assertThat(client().post("/_matrix/client/v3/join/" + roomId, bob, Map.of()).status()).isEqualTo(200);
        text(alice, roomId, "before");
        await().atMost(Duration.ofSeconds(60)).until(() -> count(sync(bob, "timeout=0"), roomId) == 1);
        String since = sync(bob, "timeout=0").text("next_batch");

        Domain domain = app.getBean(DomainRegistry.class).byServerName(DOMAIN).orElseThrow();
        NotificationService notifications = app.getBean(NotificationService.class);
        NotificationRepository repository = app.getBean(NotificationRepository.class);
        NotificationEventReader events = app.getBean(NotificationEventReader.class);
        PushEvaluationListener evaluation = app.getBean(PushEvaluationListener.class);
        evaluation.stop();
        try {
            String first = text(alice, roomId, "first");
            String second = text(alice, roomId, "second");
            long firstPos = events.event(domain, first).orElseThrow().pos();
            long secondPos = events.event(domain, second).orElseThrow().pos();
            evaluateAsTheListenerDoes(domain, notifications, second, roomId);
            assertThat(repository.evaluatedUpTo(domain.database(), roomId)).isLessThan(firstPos);

            // the sync waits for the first event in vain and answers the counts so far (before + second)
            MatrixTestClient.Response behind = sync(bob, "timeout=0&since=" + since);
            JsonNode room = behind.body().path("rooms").path("join").path(roomId);
            assertThat(room.path("timeline").path("events").findValuesAsText("event_id")).containsExactly(first, second);
            assertThat(count(behind, roomId)).isEqualTo(2);

            evaluateAsTheListenerDoes(domain, notifications, first, roomId);
            assertThat(repository.evaluatedUpTo(domain.database(), roomId)).isEqualTo(secondPos);
            MatrixTestClient.Response corrected = sync(bob, "timeout=60000&since=" + behind.text("next_batch"));
            assertThat(count(corrected, roomId)).isEqualTo(3);

            // an event whose evaluation never comes holds the position back only for a while
            String lost = text(alice, roomId, "not evaluated");
            notifications.advance(domain, roomId);
            assertThat(repository.evaluatedUpTo(domain.database(), roomId)).isEqualTo(secondPos);
            notifications.advance(domain, roomId, System.currentTimeMillis() + NotificationService.PASS_OVER_MS + 1);
            assertThat(repository.evaluatedUpTo(domain.database(), roomId)).isEqualTo(events.event(domain, lost).orElseThrow().pos());
        } finally {
            evaluation.start();
        }
    }

    private static void evaluateAsTheListenerDoes(Domain domain, NotificationService notifications, String eventId, String roomId) {
        notifications.evaluate(domain, eventId);
        notifications.markEvaluated(domain, eventId);
        notifications.advance(domain, roomId);
    }
}
