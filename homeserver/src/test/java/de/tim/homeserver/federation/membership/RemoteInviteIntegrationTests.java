package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invites across servers (v2): a.test invites users of b.test (both in this process, every request through
 * the egress listener and X-Matrix); the invitee sees the invite in /sync, accepts by joining or rejects it.
 * The invitee side refuses invites that are not genuine.
 */
class RemoteInviteIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private String membership(TestUser reader, String roomId, String userId) {
        return reader.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(userId), reader.accessToken())
                .text("membership");
    }

    @Test
    void remoteUserIsInvitedSeesItAndJoins() {
        String roomId = createRoom(alice, map("preset", "private_chat", "name", "Konsil"));
        MatrixTestClient.Response invited = invite(alice, roomId, bob);
        assertThat(invited.status()).as(invited.raw()).isEqualTo(200);
        assertThat(membership(alice, roomId, bob.userId())).isEqualTo("invite");

        JsonNode invite = sync(bob, "?timeout=0").body().path("rooms").path("invite").path(roomId);
        assertThat(invite.isObject()).as("invite in bob's sync").isTrue();
        String state = invite.path("invite_state").path("events").toString();
        assertThat(state).contains("m.room.create").contains("Konsil").contains("\"membership\":\"invite\"");

        MatrixTestClient.Response joined = bob.client().post(CS + "/join/" + enc(roomId), bob.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(membership(alice, roomId, bob.userId())).isEqualTo("join");
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("join").has(roomId)).isTrue();

        send(alice, roomId, "willkommen");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                messages(bob, roomId, "?dir=b&limit=5").path("chunk").toString().contains("willkommen"));
    }

    @Test
    void createRoomInvitesRemoteUsersAndMarksADirectChat() {
        MatrixTestClient.Response created = alice.client().post(CS + "/createRoom", alice.accessToken(),
                map("preset", "trusted_private_chat", "is_direct", true, "invite", List.of(bob.userId())));
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String roomId = created.text("room_id");
        assertThat(membership(alice, roomId, bob.userId())).isEqualTo("invite");

        JsonNode invite = sync(bob, "?timeout=0").body().path("rooms").path("invite").path(roomId);
        assertThat(invite.isObject()).as("invite in bob's sync").isTrue();
        JsonNode own = null;
        for (JsonNode event : invite.path("invite_state").path("events")) {
            if ("m.room.member".equals(event.path("type").asText()) && bob.userId().equals(event.path("state_key").asText())) {
                own = event;
            }
        }
        assertThat(own).as("bob's own invite event").isNotNull();
        assertThat(own.path("content").path("is_direct").asBoolean()).isTrue();
        assertThat(bob.client().post(CS + "/join/" + enc(roomId), bob.accessToken(), map()).status()).isEqualTo(200);
        assertThat(membership(alice, roomId, bob.userId())).isEqualTo("join");
    }

    @Test
    void remoteInviteCanBeRejected() {
        String roomId = createRoom(alice, map("preset", "private_chat"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        MatrixTestClient.Response rejected = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map());
        assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
        assertThat(membership(alice, roomId, bob.userId())).isEqualTo("leave");
        JsonNode rooms = sync(bob, "?timeout=0").body().path("rooms");
        assertThat(rooms.path("invite").has(roomId)).isFalse();
    }

    @Test
    void invitingNeedsPermissionHere() {
        String roomId = createRoom(alice, map("preset", "private_chat"));
        TestUser mallory = registerA("mallory");
        MatrixTestClient.Response refused = invite(mallory, roomId, bob);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId)).isFalse();
        // unknown user on the other server
        MatrixTestClient.Response unknown = alice.client().post(CS + "/rooms/" + enc(roomId) + "/invite", alice.accessToken(),
                map("user_id", "@nobody:" + B));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(membership(alice, roomId, "@nobody:" + B)).isNull();
    }

    @Test
    void inviteeServerRefusesInvitesThatAreNotGenuine() {
        FakeRemoteServer remote = new FakeRemoteServer("inviter-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        String roomId = "!room" + System.nanoTime() + ":" + remote.serverName();
        String inviter = "@carl:" + remote.serverName();
        ObjectNode template = JSON.createObjectNode();
        template.put("room_id", roomId).put("sender", inviter).put("type", "m.room.member").put("state_key", bob.userId())
                .put("origin_server_ts", System.currentTimeMillis()).put("depth", 5);
        template.putObject("content").put("membership", "invite");
        template.putArray("prev_events").add("$prev");
        template.putArray("auth_events").add("$create");

        ObjectNode good = remote.signEvent(template, RoomVersion.V10);
        String goodId = Pdu.fromJson(good.deepCopy(), RoomVersion.V10).eventId().value();
        String path = "/_matrix/federation/v2/invite/" + enc(roomId) + "/";
        List<Map<String, Object>> stripped = List.of(Map.of("type", "m.room.name", "state_key", "", "sender", inviter,
                "content", Map.of("name", "Fernkonsil")));

        // wrong key
        ObjectNode forged = EventSigning.hashAndSign(template.deepCopy(), RoomVersion.V10, ServerName.parse(remote.serverName()),
                SigningKey.generate("remote1"));
        assertThat(remote.request(b(), B, "PUT", path + enc(goodId), Map.of("room_version", "10", "event", forged)).status())
                .isEqualTo(403);
        // unsupported room version
        assertThat(remote.request(b(), B, "PUT", path + enc(goodId), Map.of("room_version", "1", "event", good)).errcode())
                .isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");
        // event id of another event
        assertThat(remote.request(b(), B, "PUT", path + enc("$other"), Map.of("room_version", "10", "event", good)).status())
                .isEqualTo(400);
        // invite of an unknown user
        ObjectNode nobody = remote.signEvent(template.deepCopy().put("state_key", "@nobody:" + B), RoomVersion.V10);
        assertThat(remote.request(b(), B, "PUT", path + enc(Pdu.fromJson(nobody.deepCopy(), RoomVersion.V10).eventId().value()),
                Map.of("room_version", "10", "event", nobody)).status()).isEqualTo(404);
        // a sender of another server
        ObjectNode foreign = remote.signEvent(template.deepCopy().put("sender", "@x:elsewhere.test"), RoomVersion.V10);
        assertThat(remote.request(b(), B, "PUT", path + enc(Pdu.fromJson(foreign.deepCopy(), RoomVersion.V10).eventId().value()),
                Map.of("room_version", "10", "event", foreign)).status()).isEqualTo(403);
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId)).isFalse();

        // the genuine one is countersigned and shows up
        MatrixTestClient.Response accepted = remote.request(b(), B, "PUT", path + enc(goodId),
                Map.of("room_version", "10", "event", good, "invite_room_state", stripped));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(200);
        assertThat(accepted.body().path("event").path("signatures").has(B)).isTrue();
        assertThat(accepted.body().path("event").path("signatures").has(remote.serverName())).isTrue();
        // readable once every earlier stream position is written (the refused attempts above may leave a short gap)
        JsonNode invite = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                .until(() -> sync(bob, "?timeout=0").body().path("rooms").path("invite").path(roomId), n -> !n.isMissingNode());
        assertThat(invite.path("invite_state").path("events").toString()).contains("Fernkonsil").contains(inviter);

        // rejecting while the inviting server is unreachable rejects locally
        remote.onPrefix("/_matrix/federation/v1/make_leave/", r -> new FakeRemoteServer.Answer(503, new byte[0]));
        MatrixTestClient.Response rejected = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map());
        assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId)).isFalse();
    }

    @Test
    void rejectionChecksFillsAndSignsTheLeaveTemplate() {
        FakeRemoteServer remote = new FakeRemoteServer("leaver-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        assertThat(bob.client().put(CS + "/profile/" + enc(bob.userId()) + "/displayname", bob.accessToken(),
                map("displayname", "Bob B")).status()).isEqualTo(200);
        String roomId = "!room" + System.nanoTime() + ":" + remote.serverName();
        String inviter = "@carl:" + remote.serverName();
        ObjectNode template = JSON.createObjectNode();
        template.put("room_id", roomId).put("sender", inviter).put("type", "m.room.member").put("state_key", bob.userId())
                .put("origin_server_ts", System.currentTimeMillis()).put("depth", 5);
        template.putObject("content").put("membership", "invite");
        template.putArray("prev_events").add("$prev");
        template.putArray("auth_events").add("$create");
        ObjectNode invite = remote.signEvent(template, RoomVersion.V10);
        String inviteId = Pdu.fromJson(invite.deepCopy(), RoomVersion.V10).eventId().value();
        assertThat(remote.request(b(), B, "PUT", "/_matrix/federation/v2/invite/" + enc(roomId) + "/" + enc(inviteId),
                Map.of("room_version", "10", "event", invite)).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId));

        ObjectNode leaveTemplate = template.deepCopy().put("sender", bob.userId()).put("depth", 6);
        leaveTemplate.putObject("content").put("membership", "leave");
        leaveTemplate.putArray("auth_events").add("$create").add(inviteId);
        List<String> makeLeaves = new CopyOnWriteArrayList<>();
        List<JsonNode> sentLeaves = new CopyOnWriteArrayList<>();
        AtomicReference<ObjectNode> offered = new AtomicReference<>(
                leaveTemplate.deepCopy().put("room_id", "!other:" + remote.serverName()));
        remote.onPrefix("/_matrix/federation/v1/make_leave/", r -> {
            makeLeaves.add(r.pathAndQuery());
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().put("room_version", "10").set("event", offered.get()));
        });
        remote.onPrefix("/_matrix/federation/v2/send_leave/", r -> {
            try {
                sentLeaves.add(JSON.readTree(r.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode());
        });

        // a template for another room is refused: nothing is sent, the invite stays
        MatrixTestClient.Response refused = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(),
                map("reason", "Kein Bedarf"));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(502);
        assertThat(sentLeaves).isEmpty();
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId)).isTrue();

        offered.set(leaveTemplate);
        MatrixTestClient.Response rejected = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(),
                map("reason", "Kein Bedarf"));
        assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
        assertThat(makeLeaves).allSatisfy(path -> assertThat(path).doesNotContain("ver="));
        assertThat(sentLeaves).hasSize(1);
        JsonNode leave = sentLeaves.getFirst();
        assertThat(leave.path("content").path("membership").asText()).isEqualTo("leave");
        assertThat(leave.path("content").path("reason").asText()).isEqualTo("Kein Bedarf");
        assertThat(leave.path("content").has("displayname")).as("no profile in a leave").isFalse();
        assertThat(leave.path("signatures").has(B)).isTrue();
        assertThat(leave.path("auth_events").toString()).contains(inviteId);
        assertThat(sync(bob, "?timeout=0").body().path("rooms").path("invite").has(roomId)).isFalse();
    }
}
