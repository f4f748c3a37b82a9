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
}
