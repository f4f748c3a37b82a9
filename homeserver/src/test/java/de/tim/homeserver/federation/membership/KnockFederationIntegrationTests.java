package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Knocking upon a room" over federation (make_knock / send_knock v1): a user of b.test knocks on a room of
 * a.test, sees the room's stripped state under {@code rooms.knock}, is let in by an invite and joins; a
 * second knock is retracted with {@code /leave} (make_leave / send_leave). The resident side's refusals.
 */
class KnockFederationIntegrationTests extends RoomTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private String knockRoom(String name) {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10", "name", name));
        assertThat(putState(alice, roomId, "m.room.join_rules", "", map("join_rule", "knock")).status()).isEqualTo(200);
        return roomId;
    }

    private MatrixTestClient.Response knock(TestUser user, String roomId) {
        return user.client().post(CS + "/knock/" + enc(roomId) + "?server_name=" + A, user.accessToken(),
                map("reason", "Bitte um Aufnahme"));
    }

    private String membershipAtResident(String roomId, String userId) {
        MatrixTestClient.Response r = alice.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(userId),
                alice.accessToken());
        return r.status() == 200 ? r.text("membership") : null;
    }

    @Test
    void remoteUserKnocksIsInvitedAndJoins() {
        String roomId = knockRoom("Sprechstunde");
        MatrixTestClient.Response knocked = knock(bob, roomId);
        assertThat(knocked.status()).as(knocked.raw()).isEqualTo(200);
        assertThat(knocked.text("room_id")).isEqualTo(roomId);
        assertThat(membershipAtResident(roomId, bob.userId())).isEqualTo("knock");

        // the knocker's sync: rooms.knock with the stripped state the resident sent, and the knock itself
        JsonNode knockState = sync(bob, "?timeout=0").body().path("rooms").path("knock").path(roomId).path("knock_state");
        assertThat(knockState.toString()).contains("Sprechstunde").contains("\"join_rule\":\"knock\"").contains("m.room.create");
        assertThat(knockState.path("events")).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("m.room.member");
            assertThat(e.path("state_key").asText()).isEqualTo(bob.userId());
            assertThat(e.path("content").path("membership").asText()).isEqualTo("knock");
        });

        // accepted by an invite, then the knocker joins over federation
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId));
        MatrixTestClient.Response joined = bob.client().post(CS + "/join/" + enc(roomId), bob.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(membershipAtResident(roomId, bob.userId())).isEqualTo("join");
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("join").has(roomId)).isTrue();
    }

    @Test
    void knockerRetractsAndResidentRejects() {
        String roomId = knockRoom("Zweitmeinung");
        assertThat(knock(bob, roomId).status()).isEqualTo(200);
        // retract: make_leave / send_leave at the resident server
        MatrixTestClient.Response left = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map());
        assertThat(left.status()).as(left.raw()).isEqualTo(200);
        assertThat(membershipAtResident(roomId, bob.userId())).isEqualTo("leave");
        JsonNode rooms = sync(bob, "?timeout=0").body().path("rooms");
        assertThat(rooms.path("knock").has(roomId)).isFalse();

        // knocks again; a member with kick power denies it
        assertThat(knock(bob, roomId).status()).isEqualTo(200);
        assertThat(membershipAtResident(roomId, bob.userId())).isEqualTo("knock");
        MatrixTestClient.Response kicked = alice.client().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(),
                map("user_id", bob.userId()));
        assertThat(kicked.status()).as(kicked.raw()).isEqualTo(200);
        assertThat(membershipAtResident(roomId, bob.userId())).isEqualTo("leave");

        // rooms without the knock rule refuse, and the refusal reaches the client
        String privateRoom = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        MatrixTestClient.Response refused = knock(bob, privateRoom);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("knock").has(privateRoom)).isFalse();
    }

    @Test
    void residentSideChecksTheKnock() {
        FakeRemoteServer remote = new FakeRemoteServer("knocker-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        String user = "@knocker:" + remote.serverName();
        String roomId = knockRoom("Team");
        String base = "/_matrix/federation/v1/make_knock/" + enc(roomId) + "/" + enc(user);
        assertThat(remote.request(a(), A, "GET", base, null).errcode()).isEqualTo("M_MISSING_PARAM");
        MatrixTestClient.Response incompatible = remote.request(a(), A, "GET", base + "?ver=9", null);
        assertThat(incompatible.status()).isEqualTo(400);
        assertThat(incompatible.errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");
        // only users of the asking server
        assertThat(remote.request(a(), A, "GET", "/_matrix/federation/v1/make_knock/" + enc(roomId) + "/"
                + enc(alice.userId()) + "?ver=10", null).status()).isEqualTo(403);
        String publicRoom = createRoom(alice, map("preset", "public_chat", "room_version", "10"));
        assertThat(remote.request(a(), A, "GET", "/_matrix/federation/v1/make_knock/" + enc(publicRoom) + "/" + enc(user)
                + "?ver=10", null).status()).isEqualTo(403);

        MatrixTestClient.Response template = remote.request(a(), A, "GET", base + "?ver=10&ver=11", null);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        assertThat(template.text("room_version")).isEqualTo("10");
        assertThat(template.body().path("event").path("content").path("membership").asText()).isEqualTo("knock");
        ObjectNode event = (ObjectNode) template.body().get("event");

        // a join sent to send_knock is refused
        ObjectNode join = event.deepCopy();
        ((ObjectNode) join.get("content")).put("membership", "join");
        assertThat(sendKnock(remote, roomId, join).status()).isEqualTo(400);

        MatrixTestClient.Response sent = sendKnock(remote, roomId, event);
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(sent.body().path("knock_room_state").toString()).contains("m.room.join_rules").contains("Team");
        assertThat(membershipAtResident(roomId, user)).isEqualTo("knock");
        // the local members see the knock in their sync timeline
        await().atMost(WAIT).until(() -> sync(alice, "?timeout=0").body().path("rooms").path("join").path(roomId)
                .toString().contains("\"membership\":\"knock\""));
    }

    private MatrixTestClient.Response sendKnock(FakeRemoteServer remote, String roomId, ObjectNode template) {
        ObjectNode signed = remote.signEvent(template, RoomVersion.V10);
        String eventId = Pdu.fromJson(signed.deepCopy(), RoomVersion.V10).eventId().value();
        return remote.request(a(), A, "PUT", "/_matrix/federation/v1/send_knock/" + enc(roomId) + "/" + enc(eventId), signed);
    }
}
