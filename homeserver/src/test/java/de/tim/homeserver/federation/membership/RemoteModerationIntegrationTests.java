package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kick, ban and unban of a member of another server reach that server (its admin view and the member's sync). */
class RemoteModerationIntegrationTests extends RoomTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private TestUser bob;
    private TestUser bAdmin;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        bAdmin = register(b(), uniqueLocalpart("badmin"), true, "b-shared-secret");
    }

    /** Bob's membership in the room as b.test stores it (admin view, no history visibility). */
    private String membershipAtB(String roomId) {
        MatrixTestClient.Response state = bAdmin.client().get("/_synapse/admin/v1/rooms/" + enc(roomId) + "/state",
                bAdmin.accessToken());
        for (JsonNode e : state.body().path("state")) {
            if ("m.room.member".equals(e.path("type").asText()) && bob.userId().equals(e.path("state_key").asText())) {
                return e.path("content").path("membership").asText();
            }
        }
        return null;
    }

    /** The room is under {@code leave} of Bob's incremental sync (his membership changed since then). */
    private boolean bobsSyncLeft(String since, String roomId) {
        return sync(bob, "?timeout=0&since=" + enc(since)).body().path("rooms").path("leave").has(roomId);
    }

    @Test
    void kickBanAndUnbanReachTheMembersServer() {
        String roomId = createRoom(alice, map("preset", "private_chat"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId));
        MatrixTestClient.Response joined = join(bob, roomId);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);

        String since = sync(bob, "?timeout=0").text("next_batch");
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(), map("user_id", bob.userId()))
                .status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "leave".equals(membershipAtB(roomId)));
        assertThat(bobsSyncLeft(since, roomId)).isTrue();
        assertThat(sync(bob, "?timeout=0&since=" + enc(since)).body().path("rooms").path("leave").path(roomId).path("timeline")
                .toString()).contains("\"membership\":\"leave\"");

        String beforeBan = sync(bob, "?timeout=0").text("next_batch");
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/ban", alice.accessToken(), map("user_id", bob.userId()))
                .status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "ban".equals(membershipAtB(roomId)));
        // (the ban itself is not in his timeline: after leaving he sees no later events, as in Synapse)
        assertThat(bobsSyncLeft(beforeBan, roomId)).isTrue();
        assertThat(join(bob, roomId).status()).isEqualTo(403);

        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/unban", alice.accessToken(), map("user_id", bob.userId()))
                .status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "leave".equals(membershipAtB(roomId)));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> "invite".equals(membershipAtB(roomId)));
        MatrixTestClient.Response rejoined = join(bob, roomId);
        assertThat(rejoined.status()).as(rejoined.raw()).isEqualTo(200);
        await().atMost(WAIT).until(() -> alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken())
                .body().path("joined").has(bob.userId()));
    }
}
