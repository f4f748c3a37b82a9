package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gap longer than {@code get_missing_events} closes: the state at the PDU's prev events comes from the
 * origin's {@code state_ids} (unknown events from {@code /event}, verified), and the PDU is accepted on it.
 */
class InboundGapIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("gap-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        alice = registerA("alice");
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
    }

    private Pdu message(String body) {
        return room.send(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text").put("body", body));
    }

    @Test
    void aGapLongerThanGetMissingEventsIsClosedWithStateIds() {
        room.missingEventsLimit = 10;
        room.missingEventsServed = 1; // the remote does not page further back
        // 30 events this server never receives, among them a name and a new member
        for (int i = 0; i < 15; i++) {
            message("missed " + i);
        }
        room.send(room.creator(), "m.room.name", "", JSON.createObjectNode().put("name", "Renamed in the gap"));
        String dave = "@dave:" + remote.serverName();
        room.send(dave, "m.room.member", dave, JSON.createObjectNode().put("membership", "join"));
        for (int i = 15; i < 28; i++) {
            message("missed " + i);
        }
        Pdu last = message("after the gap");

        JsonNode answer = room.push(a(), A, List.of(last));
        assertThat(answer.path(last.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(room.missingEventsRequests.get()).isGreaterThanOrEqualTo(1);
        assertThat(room.stateIdsRequests.get()).isEqualTo(1);

        // the PDU and the events get_missing_events brought (missed 18..27) reached the client, on the state
        // learnt at the oldest of them; the state learnt from the gap is the room's state here
        JsonNode chunk = messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk");
        assertThat(chunk.toString()).contains("after the gap").contains("missed 18").contains("missed 27")
                .doesNotContain("missed 17");
        assertThat(alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.name/", alice.accessToken())
                .text("name")).isEqualTo("Renamed in the gap");
        JsonNode members = alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/joined_members", alice.accessToken()).body();
        assertThat(members.path("joined").has(dave)).as(members.toString()).isTrue();

        // the next local event merges: it cites the PDU
        String reply = send(alice, room.roomId(), "reply");
        MatrixTestClient.Response replyEvent = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(reply), null);
        assertThat(replyEvent.body().path("pdus").get(0).path("prev_events").toString()).contains(last.eventId().value());
    }

    @Test
    void aGapLongerThanOneAnswerIsClosedByPagingBack() {
        room.missingEventsLimit = 10;
        for (int i = 0; i < 15; i++) {
            message("paged " + i);
        }
        room.send(room.creator(), "m.room.topic", "", JSON.createObjectNode().put("topic", "Set in the gap"));
        for (int i = 15; i < 28; i++) {
            message("paged " + i);
        }
        Pdu last = message("after the paged gap");

        JsonNode answer = room.push(a(), A, List.of(last));
        assertThat(answer.path(last.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(room.missingEventsRequests.get()).isBetween(3, 4);
        assertThat(room.stateIdsRequests.get()).isZero();
        // every missed event reached the timeline, in order, before the PDU
        List<String> bodies = new java.util.ArrayList<>();
        messages(alice, room.roomId(), "?dir=b&limit=60").path("chunk").forEach(e -> {
            if (e.path("content").path("body").asText().startsWith("paged ")) {
                bodies.add(e.path("content").path("body").asText());
            }
        });
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 27; i >= 0; i--) {
            expected.add("paged " + i);
        }
        assertThat(bodies).containsExactlyElementsOf(expected);
        assertThat(alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.topic/", alice.accessToken())
                .text("topic")).isEqualTo("Set in the gap");
    }

    @Test
    void aGapWhoseStateCannotBeVerifiedFailsThePdu() {
        room.missingEventsLimit = 2;
        room.missingEventsServed = 1;
        for (int i = 0; i < 5; i++) {
            message("missed " + i);
        }
        Pdu last = message("after an unverifiable gap");
        // the remote names state it cannot produce (replaces the room's own state_ids handler)
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        remote.onPrefix("/_matrix/federation/v1/state_ids/" + enc(room.roomId()), r -> asked.incrementAndGet() < 0 ? null
                : FakeRemoteServer.Answer.json(200, JSON.createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("pdu_ids", JSON.createArrayNode().add("$unknown"))
                .set("auth_chain_ids", JSON.createArrayNode())));
        JsonNode answer = room.push(a(), A, List.of(last));
        assertThat(answer.path(last.eventId().value()).path("error").isTextual()).as(answer.toString()).isTrue();
        assertThat(asked.get()).isBetween(1, 3); // the oldest fetched event, the next one, the PDU: bounded
        assertThat(messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk").toString()).doesNotContain("unverifiable");
    }
}
