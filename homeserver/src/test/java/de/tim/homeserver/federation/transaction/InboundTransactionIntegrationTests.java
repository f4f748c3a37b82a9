package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
 * Inbound {@code PUT /send/{txnId}}: a remote server that joined a room on a.test sends PDUs and EDUs;
 * malformed, unsigned, wrongly signed, unauthorised and replayed PDUs never change the room.
 */
class InboundTransactionIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private TestUser alice;
    private String remoteUser;
    private String roomId;
    private String createId;
    private String powerLevelsId;
    private String joinRulesId;
    private String aliceJoinId;
    private String joinId;
    private String head;
    private long depth;
    private int txn;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("send-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        alice = registerA("alice");
        remoteUser = "@bob:" + remote.serverName();
        roomId = createRoom(alice, map("preset", "public_chat"));
        FakeRemoteServer.Joined joined = remote.join(a(), A, roomId, remoteUser);
        joinId = joined.eventId();
        for (JsonNode e : joined.answer().body().path("state")) {
            if (e.path("type").asText().equals("m.room.create")) {
                createId = id((ObjectNode) e);
            }
            if (e.path("type").asText().equals("m.room.power_levels")) {
                powerLevelsId = id((ObjectNode) e);
            }
            if (e.path("type").asText().equals("m.room.join_rules")) {
                joinRulesId = id((ObjectNode) e);
            }
            if (e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals(alice.userId())) {
                aliceJoinId = id((ObjectNode) e);
            }
        }
        head = joinId;
        depth = joined.event().path("depth").asLong();
    }

    private static String id(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        if (!copy.has("signatures")) {
            copy.putObject("signatures");
        }
        return Pdu.fromJson(copy, RoomVersion.V10).eventId().value();
    }

    private MatrixTestClient.Response fed(String method, String uri, Object body) {
        return remote.request(a(), A, method, uri, body);
    }

    private ObjectNode message(String sender, String body, List<String> prev, long eventDepth) {
        ObjectNode event = JSON.createObjectNode();
        event.put("room_id", roomId).put("sender", sender).put("type", "m.room.message")
                .put("origin_server_ts", System.currentTimeMillis()).put("depth", eventDepth);
        event.putObject("content").put("msgtype", "m.text").put("body", body);
        prev.forEach(event.putArray("prev_events")::add);
        event.putArray("auth_events").add(createId).add(powerLevelsId).add(joinId);
        return event;
    }

    /** A signed message on the current head; advances the head. */
    private ObjectNode nextMessage(String body) {
        ObjectNode signed = remote.signEvent(message(remoteUser, body, List.of(head), ++depth), RoomVersion.V10);
        head = id(signed);
        return signed;
    }

    private MatrixTestClient.Response send(List<? extends JsonNode> pdus, List<?> edus) {
        String path = "/_matrix/federation/v1/send/txn" + (++txn) + "-" + System.nanoTime();
        return fed("PUT", path, Map.of("origin", remote.serverName(), "origin_server_ts", System.currentTimeMillis(),
                "pdus", pdus, "edus", edus));
    }

    private List<String> bodies() {
        JsonNode chunk = messages(alice, roomId, "?dir=b&limit=50").path("chunk");
        List<String> bodies = new ArrayList<>();
        chunk.forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(e.path("content").path("body").asText(""));
            }
        });
        Collections.reverse(bodies);
        return bodies;
    }

    @Test
    void acceptedPdusReachLocalClientsOnce() {
        ObjectNode first = nextMessage("hello from remote");
        String path = "/_matrix/federation/v1/send/replayed-" + System.nanoTime();
        Map<String, Object> txnBody = Map.of("origin", remote.serverName(), "origin_server_ts", 1, "pdus", List.of(first));
        MatrixTestClient.Response answer = fed("PUT", path, txnBody);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.body().path("pdus").path(head).isObject()).isTrue();
        assertThat(answer.body().path("pdus").path(head).has("error")).isFalse();
        assertThat(bodies()).containsExactly("hello from remote");

        // replayed transaction: same answer, nothing new
        MatrixTestClient.Response replay = fed("PUT", path, txnBody);
        assertThat(replay.body()).isEqualTo(answer.body());
        // the same PDU in a new transaction is not stored twice
        assertThat(send(List.of(first), List.of()).body().path("pdus").path(head).has("error")).isFalse();
        assertThat(bodies()).containsExactly("hello from remote");

        // local and remote events interleave on one head
        send(alice, roomId, "local reply");
        MatrixTestClient.Response later = send(List.of(remote.signEvent(message(remoteUser, "after the reply",
                List.of(latestEventId()), depth + 5), RoomVersion.V10)), List.of());
        assertThat(later.raw()).doesNotContain("error");
        assertThat(bodies()).containsExactly("hello from remote", "local reply", "after the reply");
    }

    private String latestEventId() {
        return messages(alice, roomId, "?dir=b&limit=1").path("chunk").get(0).path("event_id").asText();
    }

    @Test
    void badPdusAreRejectedWithoutTouchingTheRoom() {
        // unsigned
        ObjectNode unsigned = remote.signEvent(message(remoteUser, "unsigned", List.of(head), depth + 1), RoomVersion.V10);
        unsigned.remove("signatures");
        // signed with a key the remote does not publish
        ObjectNode forged = EventSigning.hashAndSign(message(remoteUser, "forged", List.of(head), depth + 1), RoomVersion.V10,
                ServerName.parse(remote.serverName()), SigningKey.generate("remote1"));
        // a sender who is not in the room
        ObjectNode stranger = remote.signEvent(message("@eve:" + remote.serverName(), "stranger", List.of(head), depth + 1),
                RoomVersion.V10);
        // malformed: no sender
        ObjectNode malformed = message(remoteUser, "malformed", List.of(head), depth + 1);
        malformed.remove("sender");
        // unknown room
        ObjectNode otherRoom = message(remoteUser, "elsewhere", List.of(head), depth + 1);
        otherRoom.put("room_id", "!nowhere:" + A);
        ObjectNode otherRoomSigned = remote.signEvent(otherRoom, RoomVersion.V10);

        MatrixTestClient.Response answer = send(List.of(unsigned, forged, stranger, malformed, otherRoomSigned), List.of());
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode results = answer.body().path("pdus");
        assertThat(results.path(id(unsigned)).path("error").isTextual()).isTrue();
        assertThat(results.path(id(forged)).path("error").isTextual()).isTrue();
        assertThat(results.path(id(stranger)).path("error").isTextual()).isTrue();
        assertThat(results.path(id(otherRoomSigned)).path("error").isTextual()).isTrue();
        assertThat(bodies()).isEmpty();
    }

    @Test
    void badStateEventsNeverTouchTheState() {
        // alice's profile, "sent" by the remote (only a.test may sign for her)
        ObjectNode aliceProfile = profile(alice.userId(), "forged alice");
        ObjectNode wrongServer = remote.signEvent(aliceProfile, RoomVersion.V10);
        // the remote user's profile signed with a key the remote does not publish, and unsigned
        ObjectNode bobProfile = profile(remoteUser, "forged bob");
        ObjectNode wrongKey = EventSigning.hashAndSign(bobProfile.deepCopy(), RoomVersion.V10, ServerName.parse(remote.serverName()),
                SigningKey.generate("remote1"));
        ObjectNode unsignedProfile = remote.signEvent(bobProfile, RoomVersion.V10);
        unsignedProfile.remove("signatures");
        MatrixTestClient.Response answer = send(List.of(wrongServer, wrongKey, unsignedProfile), List.of());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("pdus").path(id(wrongServer)).path("error").isTextual()).isTrue();
        assertThat(answer.body().path("pdus").path(id(wrongKey)).path("error").isTextual()).isTrue();
        JsonNode members = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body();
        assertThat(members.toString()).doesNotContain("forged");
        assertThat(messages(alice, roomId, "?dir=b&limit=50").toString()).doesNotContain("forged");
        // the correctly signed event is still accepted: the bad copies left nothing behind under its id
        ObjectNode good = remote.signEvent(bobProfile, RoomVersion.V10);
        assertThat(id(good)).isEqualTo(id(wrongKey));
        MatrixTestClient.Response accepted = send(List.of(good), List.of());
        assertThat(accepted.body().path("pdus").path(id(good)).has("error")).as(accepted.raw()).isFalse();
        members = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body();
        assertThat(members.path("joined").path(remoteUser).path("display_name").asText()).isEqualTo("forged bob");
        assertThat(members.path("joined").path(alice.userId()).path("display_name").asText()).isNotEqualTo("forged alice");
    }

    private ObjectNode profile(String userId, String displayname) {
        ObjectNode event = JSON.createObjectNode();
        event.put("room_id", roomId).put("sender", userId).put("type", "m.room.member").put("state_key", userId)
                .put("origin_server_ts", System.currentTimeMillis()).put("depth", depth + 1);
        event.putObject("content").put("membership", "join").put("displayname", displayname);
        event.putArray("prev_events").add(head);
        event.putArray("auth_events").add(createId).add(powerLevelsId).add(joinRulesId)
                .add(userId.equals(remoteUser) ? joinId : aliceJoinId);
        return event;
    }

    @Test
    void contentHashMismatchIsStoredRedacted() {
        ObjectNode tampered = nextMessage("original");
        ((ObjectNode) tampered.get("content")).put("body", "tampered");
        MatrixTestClient.Response answer = send(List.of(tampered), List.of());
        assertThat(answer.body().path("pdus").path(head).has("error")).as(answer.raw()).isFalse();
        assertThat(bodies()).containsExactly("");
    }

    @Test
    void transactionLimitsAndShape() {
        List<ObjectNode> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(JSON.createObjectNode());
        }
        assertThat(send(tooMany, List.of()).errcode()).isEqualTo("M_BAD_JSON");
        List<Map<String, Object>> edus = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            edus.add(Map.of("edu_type", "m.typing", "content", Map.of()));
        }
        assertThat(send(List.of(), edus).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(fed("PUT", "/_matrix/federation/v1/send/shape", Map.of("pdus", "x")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(fed("PUT", "/_matrix/federation/v1/send/origin", Map.of("origin", "other.test", "pdus", List.of())).status())
                .isEqualTo(403);
        // unsigned transaction
        assertThat(a().put("/_matrix/federation/v1/send/x", null, Map.of("pdus", List.of())).status()).isEqualTo(401);
    }

    @Test
    void missingPrevEventsAreFetchedFromTheOrigin() {
        ObjectNode first = nextMessage("first (missed)");
        ObjectNode second = nextMessage("second");
        remote.on("/_matrix/federation/v1/get_missing_events/" + enc(roomId), request ->
                FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("events", JSON.createArrayNode().add(first))));
        MatrixTestClient.Response answer = send(List.of(second), List.of());
        assertThat(answer.raw()).doesNotContain("error");
        assertThat(bodies()).containsExactly("first (missed)", "second");
    }

    @Test
    void concurrentEventsFormAForkThatTheNextLocalEventMerges() {
        String local = send(alice, roomId, "local, concurrently");
        // the remote did not see the local event yet: its message is based on the join
        ObjectNode concurrent = remote.signEvent(message(remoteUser, "remote, concurrently", List.of(joinId), depth + 1),
                RoomVersion.V10);
        MatrixTestClient.Response answer = send(List.of(concurrent), List.of());
        assertThat(answer.raw()).doesNotContain("error");
        assertThat(bodies()).containsExactlyInAnyOrder("local, concurrently", "remote, concurrently");

        String merge = send(alice, roomId, "after both");
        JsonNode mergeEvent = fed("GET", "/_matrix/federation/v1/event/" + enc(merge), null).body().path("pdus").get(0);
        assertThat(mergeEvent.path("prev_events").toString()).contains(local).contains(id(concurrent));
        assertThat(bodies()).hasSize(3);
    }

    @Test
    void forkedEventsAreCheckedAgainstTheStateBeforeThem() {
        // after the join the remote user is kicked; an event of theirs on the old fork is still checked
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(),
                map("user_id", remoteUser)).status()).isEqualTo(200);
        ObjectNode late = remote.signEvent(message(remoteUser, "sent before the kick arrived", List.of(joinId), depth + 1),
                RoomVersion.V10);
        MatrixTestClient.Response answer = send(List.of(late), List.of());
        // allowed by the state before it, not by the current state: soft-failed, acknowledged but not shown
        assertThat(answer.body().path("pdus").path(id(late)).has("error")).isFalse();
        assertThat(bodies()).isEmpty();
    }

    @Test
    void typingAndReceiptsOfRemoteUsersReachSync() {
        ObjectNode message = nextMessage("read me");
        send(List.of(message), List.of());
        MatrixTestClient.Response answer = send(List.of(), List.of(
                Map.of("edu_type", "m.typing", "content", Map.of("room_id", roomId, "user_id", remoteUser, "typing", true)),
                Map.of("edu_type", "m.receipt", "content", Map.of(roomId, Map.of("m.read", Map.of(remoteUser,
                        Map.of("event_ids", List.of(head), "data", Map.of("ts", 1234)))))),
                // about another server's user: ignored
                Map.of("edu_type", "m.typing", "content", Map.of("room_id", roomId, "user_id", alice.userId(), "typing", true))));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode ephemeral = sync(alice, "?timeout=0").body().path("rooms").path("join").path(roomId).path("ephemeral").path("events");
        assertThat(ephemeral.toString()).contains("m.typing").contains(remoteUser).doesNotContain("\"" + alice.userId() + "\"]");
        assertThat(ephemeral.toString()).contains("m.receipt").contains(head);
    }
}
