package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Out-of-band memberships end to end (a.test and b.test in this process, through the egress listener): a resident
 * moderator of a.test rescinds the invite of a b.test user, bans an invitee, denies a knock and bans a knocker while
 * b.test is not in the room; the user's {@code /sync} on b.test moves the room to {@code leave} with that event, and
 * the user can be invited again or knock again.
 */
class OutOfBandMembershipIntegrationTests extends RoomTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private MatrixTestClient.Response moderate(String action, String roomId) {
        return alice.client().post(CS + "/rooms/" + enc(roomId) + "/" + action, alice.accessToken(),
                map("user_id", bob.userId(), "reason", "Nicht mehr nötig"));
    }

    private JsonNode bobsRooms(String since) {
        return sync(bob, since == null ? "?timeout=0" : "?timeout=0&since=" + enc(since)).body().path("rooms");
    }

    /** Bob's {@code rooms.leave.{roomId}} since {@code since}, once the membership arrived. */
    private JsonNode awaitLeft(String since, String roomId) {
        return await().atMost(WAIT).until(() -> bobsRooms(since).path("leave").path(roomId), JsonNode::isObject);
    }

    /** Bob's membership event in the timeline of the left room (his own leave after an invite or knock). */
    private static JsonNode membershipEvent(JsonNode leftRoom, String membership) {
        return membershipEvent(leftRoom, "timeline", membership);
    }

    /**
     * Bob's membership event in the state of the left room (a ban, like a ban after a join, is not in his timeline:
     * he sees no events after his membership ends, as in Synapse).
     */
    private static JsonNode banInState(JsonNode leftRoom) {
        return membershipEvent(leftRoom, "state", "ban");
    }

    private static JsonNode membershipEvent(JsonNode leftRoom, String section, String membership) {
        for (JsonNode e : leftRoom.path(section).path("events")) {
            if ("m.room.member".equals(e.path("type").asText()) && membership.equals(e.path("content").path("membership").asText())) {
                return e;
            }
        }
        return null;
    }

    private String awaitInvited(String roomId) {
        await().atMost(WAIT).until(() -> bobsRooms(null).path("invite").has(roomId));
        return sync(bob, "?timeout=0").text("next_batch");
    }

    private MatrixTestClient.Response knock(String roomId) {
        return bob.client().post(CS + "/knock/" + enc(roomId) + "?server_name=" + A, bob.accessToken(), map());
    }

    @Test
    void rescindedInviteLeavesTheInviteesSyncAndTheUserCanBeInvitedAgain() {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        String since = awaitInvited(roomId);

        assertThat(moderate("kick", roomId).status()).isEqualTo(200);
        JsonNode left = awaitLeft(since, roomId);
        JsonNode leave = membershipEvent(left, "leave");
        assertThat(leave).as(left.toString()).isNotNull();
        assertThat(leave.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(leave.path("content").path("reason").asText()).isEqualTo("Nicht mehr nötig");
        assertThat(bobsRooms(null).path("invite").has(roomId)).isFalse();
        // joining the rescinded invite is refused by the room
        assertThat(join(bob, roomId).status()).isEqualTo(403);

        // invited again: the invite shows and can be accepted
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        awaitInvited(roomId);
        MatrixTestClient.Response joined = join(bob, roomId);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(bobsRooms(null).path("join").has(roomId)).isTrue();
    }

    @Test
    void banOfAnInviteeLeavesTheInviteesSync() {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        String since = awaitInvited(roomId);

        assertThat(moderate("ban", roomId).status()).isEqualTo(200);
        JsonNode left = awaitLeft(since, roomId);
        assertThat(banInState(left)).as(left.toString()).isNotNull();
        assertThat(bobsRooms(null).path("invite").has(roomId)).isFalse();

        // unbanned: the room stays left, without the ban; invited again
        String beforeUnban = sync(bob, "?timeout=0").text("next_batch");
        assertThat(moderate("unban", roomId).status()).isEqualTo(200);
        JsonNode unbanned = awaitLeft(beforeUnban, roomId);
        assertThat(membershipEvent(unbanned, "state", "leave")).as(unbanned.toString()).isNotNull();
        assertThat(banInState(unbanned)).as(unbanned.toString()).isNull();
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> bobsRooms(beforeUnban).toString(), r -> r.contains("\"invite\"") && r.contains(roomId));
        awaitInvited(roomId);
    }

    @Test
    void deniedKnockAndBannedKnockerLeaveTheKnockersSync() {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        assertThat(putState(alice, roomId, "m.room.join_rules", "", map("join_rule", "knock")).status()).isEqualTo(200);
        MatrixTestClient.Response knocked = knock(roomId);
        assertThat(knocked.status()).as(knocked.raw()).isEqualTo(200);
        assertThat(bobsRooms(null).path("knock").has(roomId)).isTrue();
        String since = sync(bob, "?timeout=0").text("next_batch");

        // denied
        assertThat(moderate("kick", roomId).status()).isEqualTo(200);
        JsonNode denied = awaitLeft(since, roomId);
        assertThat(membershipEvent(denied, "leave")).as(denied.toString()).isNotNull();
        assertThat(bobsRooms(null).path("knock").has(roomId)).isFalse();

        // knocks again, and is banned
        MatrixTestClient.Response again = knock(roomId);
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(bobsRooms(null).path("knock").has(roomId)).isTrue();
        String beforeBan = sync(bob, "?timeout=0").text("next_batch");
        assertThat(moderate("ban", roomId).status()).isEqualTo(200);
        JsonNode banned = awaitLeft(beforeBan, roomId);
        assertThat(banInState(banned)).as(banned.toString()).isNotNull();
        assertThat(bobsRooms(null).path("knock").has(roomId)).isFalse();
        assertThat(knock(roomId).status()).isEqualTo(403);
    }

    @Test
    void rescindedInviteAfterTheUserLeftEarlierLeavesTheSync() {
        // b.test keeps a stale copy of the room after Bob left it; the new invite and its rescission are out of band
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        awaitInvited(roomId);
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map()).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members",
                alice.accessToken()).body().path("joined").has(bob.userId()));

        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        String since = awaitInvited(roomId);
        assertThat(moderate("kick", roomId).status()).isEqualTo(200);
        JsonNode left = awaitLeft(since, roomId);
        assertThat(membershipEvent(left, "leave")).as(left.toString()).isNotNull();
        assertThat(bobsRooms(null).path("invite").has(roomId)).isFalse();
    }
}
