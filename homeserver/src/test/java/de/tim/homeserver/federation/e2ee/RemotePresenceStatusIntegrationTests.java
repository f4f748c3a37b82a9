package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /presence/{userId}/status} for a user of another server (a.test's alice, seen from b.test): answered from
 * the {@code m.presence} EDUs b.test received, only for users sharing a joined room with the asker (403
 * {@code M_FORBIDDEN} otherwise, also after leaving the room, and /sync shows nothing either), 404 {@code M_NOT_FOUND}
 * when nothing was received.
 */
class RemotePresenceStatusIntegrationTests extends FederationE2eeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeEach
    void setUp() {
        twoServersSharingARoom();
    }

    private String statusPath(TestUser user) {
        return CS + "/presence/" + enc(user.userId()) + "/status";
    }

    private void setPresence(TestUser user, String presence, String statusMessage) {
        MatrixTestClient.Response r = user.client().put(statusPath(user), user.accessToken(),
                Map.of("presence", presence, "status_msg", statusMessage));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void aRoomPartnerOnAnotherServerIsAnsweredFromItsPresenceEdus() {
        // a room partner of a.test who never set a presence: b.test knows nothing
        TestUser dave = registerA("dave");
        MatrixTestClient.Response joined = dave.client().post(CS + "/join/" + enc(roomId) + "?server_name=" + B,
                dave.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        await().atMost(WAIT).until(() -> bob.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", bob.accessToken())
                .body().path("joined").has(dave.userId()));
        MatrixTestClient.Response unknown = bob.client().get(statusPath(dave), bob.accessToken());
        assertThat(unknown.status()).as(unknown.raw()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");

        setPresence(alice, "online", "in der Sprechstunde");
        await().atMost(WAIT).until(() -> bob.client().get(statusPath(alice), bob.accessToken()).status() == 200);
        MatrixTestClient.Response seen = bob.client().get(statusPath(alice), bob.accessToken());
        assertThat(seen.text("presence")).isEqualTo("online");
        assertThat(seen.text("status_msg")).isEqualTo("in der Sprechstunde");
        assertThat(seen.body().path("last_active_ago").isNumber()).isTrue();
        assertThat(seen.body().path("currently_active").asBoolean()).isTrue();

        setPresence(alice, "unavailable", "im OP");
        await().atMost(WAIT).until(() -> "unavailable".equals(bob.client().get(statusPath(alice), bob.accessToken()).text("presence")));
        assertThat(bob.client().get(statusPath(alice), bob.accessToken()).text("status_msg")).isEqualTo("im OP");
    }

    @Test
    void onlyUsersSharingARoomSeeIt() {
        setPresence(alice, "online", "erreichbar");
        await().atMost(WAIT).until(() -> bob.client().get(statusPath(alice), bob.accessToken()).status() == 200);

        // a user of b.test without a shared room: neither the status nor /sync shows it
        TestUser carol = register(b(), uniqueLocalpart("carol"), false, "b-shared-secret");
        MatrixTestClient.Response refused = carol.client().get(statusPath(alice), carol.accessToken());
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(syncOk(carol, null).path("presence").toString()).doesNotContain(alice.userId());

        // after leaving the only shared room, bob is refused too
        MatrixTestClient.Response left = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map());
        assertThat(left.status()).as(left.raw()).isEqualTo(200);
        MatrixTestClient.Response afterLeave = bob.client().get(statusPath(alice), bob.accessToken());
        assertThat(afterLeave.status()).as(afterLeave.raw()).isEqualTo(403);
        assertThat(afterLeave.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void aMalformedUserIdIsAClientError() {
        MatrixTestClient.Response r = bob.client().get(CS + "/presence/" + enc("nobody-at-all") + "/status", bob.accessToken());
        assertThat(r.status()).as(r.raw()).isBetween(400, 404);
    }
}
