package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rejoining a room of another server after every local user left it: the stale copy here is not used;
 * the join goes through {@code make_join}/{@code send_join} again, sits on the resident's current head and
 * the room continues on the resident's state (no fork). A re-invite into such a room is stored like an
 * invite to an unknown room, so the invitee sees it and can accept it over federation.
 */
class RemoteRejoinIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("rejoin-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        alice = registerA("alice");
    }

    private MatrixTestClient.Response join() {
        return alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name=" + remote.serverName(),
                alice.accessToken(), map());
    }

    @Test
    void rejoiningAfterEveryLocalUserLeftGoesThroughTheResidentServer() {
        assertThat(join().status()).isEqualTo(200);
        MatrixTestClient.Response left = alice.client().post(CS + "/rooms/" + enc(room.roomId()) + "/leave", alice.accessToken(), map());
        assertThat(left.status()).as(left.raw()).isEqualTo(200);

        // the room goes on without this server
        room.send(room.creator(), "m.room.name", "", JSON.createObjectNode().put("name", "While you were away"));
        String dave = "@dave:" + remote.serverName();
        room.send(dave, "m.room.member", dave, JSON.createObjectNode().put("membership", "join"));
        Pdu last = room.send(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text")
                .put("body", "you missed this"));

        MatrixTestClient.Response rejoined = join();
        assertThat(rejoined.status()).as(rejoined.raw()).isEqualTo(200);
        assertThat(room.sendJoins).hasSize(2);
        String joinId = room.sendJoins.get(1);
        // the join sits on the resident's head, and this server continues from it
        assertThat(room.event(joinId).prevEvents().toString()).contains(last.eventId().value());
        assertThat(alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.name/", alice.accessToken())
                .text("name")).isEqualTo("While you were away");
        JsonNode members = alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/joined_members", alice.accessToken()).body();
        assertThat(members.path("joined").has(dave)).isTrue();
        assertThat(members.path("joined").has(alice.userId())).isTrue();
        assertThat(alice.client().get(CS + "/joined_rooms", alice.accessToken()).body().path("joined_rooms").toString())
                .contains(room.roomId());

        // what the room had meanwhile was fetched before the join and sits before it in the timeline
        java.util.List<String> newestFirst = new java.util.ArrayList<>();
        messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk").forEach(e -> newestFirst.add(e.path("event_id").asText()));
        assertThat(newestFirst).contains(joinId, last.eventId().value(), room.stateId("m.room.name", ""));
        assertThat(newestFirst.indexOf(joinId)).isLessThan(newestFirst.indexOf(last.eventId().value()));
        assertThat(newestFirst.indexOf(last.eventId().value())).isLessThan(newestFirst.indexOf(room.stateId("m.room.name", "")));

        String reply = send(alice, room.roomId(), "back again");
        JsonNode replyEvent = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(reply), null).body();
        assertThat(replyEvent.path("pdus").get(0).path("prev_events").toString()).isEqualTo("[\"" + joinId + "\"]");

        // while joined, a further join is a local no-op
        assertThat(join().status()).isEqualTo(200);
        assertThat(room.sendJoins).hasSize(2);
        assertThat(List.copyOf(room.sendJoins)).doesNotHaveDuplicates();
    }

    @Test
    void aReInviteAfterEveryLocalUserLeftShowsUpAndIsAcceptedOverFederation() {
        assertThat(join().status()).isEqualTo(200);
        assertThat(alice.client().post(CS + "/rooms/" + enc(room.roomId()) + "/leave", alice.accessToken(), map()).status())
                .isEqualTo(200);
        String since = sync(alice, "?timeout=0").text("next_batch");

        // the room goes on without this server, then the creator invites alice again
        room.send(room.creator(), "m.room.name", "", JSON.createObjectNode().put("name", "Come back"));
        Pdu invite = room.send(room.creator(), "m.room.member", alice.userId(), JSON.createObjectNode().put("membership", "invite"));
        List<Map<String, Object>> stripped = List.of(Map.of("type", "m.room.name", "state_key", "", "sender", room.creator(),
                "content", Map.of("name", "Come back")));
        MatrixTestClient.Response answer = remote.request(a(), A, "PUT", "/_matrix/federation/v2/invite/" + enc(room.roomId())
                + "/" + enc(invite.eventId().value()), Map.of("room_version", "10", "event", invite.json(),
                "invite_room_state", stripped));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.body().path("event").path("signatures").has(A)).isTrue();

        // alice sees the invite, with the state the inviting server sent (not our stale copy)
        JsonNode invited = sync(alice, "?timeout=0&since=" + enc(since)).body().path("rooms").path("invite").path(room.roomId());
        assertThat(invited.isMissingNode()).as("invite in /sync").isFalse();
        String inviteState = invited.path("invite_state").path("events").toString();
        assertThat(inviteState).contains("Come back").contains("\"membership\":\"invite\"").contains(room.creator());

        // and accepts it: the join goes through the resident server and lands on its head
        MatrixTestClient.Response accepted = alice.client().post(CS + "/rooms/" + enc(room.roomId()) + "/join",
                alice.accessToken(), map());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(200);
        assertThat(room.sendJoins).hasSize(2);
        assertThat(room.event(room.sendJoins.get(1)).prevEvents().toString()).contains(invite.eventId().value());
        assertThat(alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.name/", alice.accessToken())
                .text("name")).isEqualTo("Come back");
        assertThat(alice.client().get(CS + "/joined_rooms", alice.accessToken()).body().path("joined_rooms").toString())
                .contains(room.roomId());
        assertThat(sync(alice, "?timeout=0&since=" + enc(since)).body().path("rooms").path("join").has(room.roomId())).isTrue();
    }

    private Pdu leaveAndGetReInvited() {
        assertThat(join().status()).isEqualTo(200);
        assertThat(alice.client().post(CS + "/rooms/" + enc(room.roomId()) + "/leave", alice.accessToken(), map()).status())
                .isEqualTo(200);
        room.send(room.creator(), "m.room.name", "", JSON.createObjectNode().put("name", "Come back"));
        Pdu invite = room.send(room.creator(), "m.room.member", alice.userId(), JSON.createObjectNode().put("membership", "invite"));
        MatrixTestClient.Response answer = remote.request(a(), A, "PUT", "/_matrix/federation/v2/invite/" + enc(room.roomId())
                + "/" + enc(invite.eventId().value()), Map.of("room_version", "10", "event", invite.json(),
                "invite_room_state", List.of()));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return invite;
    }

    @Test
    void aReInviteAfterEveryLocalUserLeftIsRejectedAtTheResidentServer() {
        Pdu invite = leaveAndGetReInvited();
        List<String> sendLeaves = new CopyOnWriteArrayList<>();
        String path = "/" + enc(room.roomId()) + "/";
        remote.onPrefix("/_matrix/federation/v1/make_leave" + path, r -> {
            ObjectNode template = JSON.createObjectNode().put("room_id", room.roomId()).put("sender", alice.userId())
                    .put("type", "m.room.member").put("state_key", alice.userId()).put("origin_server_ts", System.currentTimeMillis())
                    .put("depth", room.depth() + 1);
            template.putObject("content").put("membership", "leave");
            room.head().forEach(template.putArray("prev_events")::add);
            template.putArray("auth_events").add(room.stateId("m.room.create", "")).add(room.stateId("m.room.power_levels", ""))
                    .add(room.stateId("m.room.member", alice.userId()));
            ObjectNode made = JSON.createObjectNode().put("room_version", "10");
            made.set("event", template);
            return FakeRemoteServer.Answer.json(200, made);
        });
        remote.onPrefix("/_matrix/federation/v2/send_leave" + path, r -> {
            sendLeaves.add(StrictJson.parse(r.body()).path("prev_events").toString());
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode());
        });

        MatrixTestClient.Response rejected = alice.client().post(CS + "/rooms/" + enc(room.roomId()) + "/leave",
                alice.accessToken(), map());
        assertThat(rejected.status()).as(rejected.raw()).isEqualTo(200);
        // the rejection went to the resident server, on its head (not on our stale copy)
        assertThat(sendLeaves).hasSize(1);
        assertThat(sendLeaves.get(0)).contains(invite.eventId().value());
        JsonNode sync = sync(alice, "?timeout=0").body().path("rooms");
        assertThat(sync.path("invite").has(room.roomId())).isFalse();
    }
}
