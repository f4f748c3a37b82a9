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
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.event.StateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A received PDU citing auth events this server does not know: they are fetched from the origin
 * ({@code event_auth}, else {@code /event}), checked and stored as outliers before the PDU is authorised;
 * unavailable or unauthorised auth events make the PDU fail without touching the room.
 */
class InboundAuthEventsIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;
    private List<String> knownHead;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("auth-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        alice = registerA("alice");
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        knownHead = room.head();
    }

    /** New power levels (raising a user), built on the head; added to the remote's DAG if {@code known}. */
    private Pdu newLevels(String sender, boolean known) {
        ObjectNode levels = JSON.createObjectNode();
        levels.putObject("users").put(room.creator(), 100).put("@dave:" + remote.serverName(), 50);
        Pdu pdu = room.build(sender, "m.room.power_levels", "", levels, room.head(), room.state(), room.depth() + 1);
        return known ? room.add(pdu) : pdu;
    }

    /** A message of the creator on the head this server knows, citing the given power levels as auth event. */
    private Pdu messageCiting(Pdu levels, String body) {
        Map<StateKey, String> auth = room.state();
        auth.put(StateKey.POWER_LEVELS, levels.eventId().value());
        return room.build(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text").put("body", body),
                knownHead, auth, room.depth() + 1);
    }

    private List<String> bodies() {
        JsonNode chunk = messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk");
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
    void unknownAuthEventsAreFetchedWithEventAuth() {
        Pdu levels = newLevels(room.creator(), true);
        Pdu message = messageCiting(levels, "cites new levels");
        JsonNode answer = room.push(a(), A, List.of(message));
        assertThat(answer.path(message.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(room.eventAuthRequests.get()).isEqualTo(1);
        assertThat(bodies()).containsExactly("cites new levels");
        // the fetched auth event is known now: this server serves it in the message's auth chain
        MatrixTestClient.Response auth = remote.request(a(), A, "GET", "/_matrix/federation/v1/event_auth/"
                + enc(room.roomId()) + "/" + enc(message.eventId().value()), null);
        List<String> ids = new ArrayList<>();
        auth.body().path("auth_chain").forEach(e -> ids.add(Pdu.fromJson(((ObjectNode) e).deepCopy(), FakeRemoteRoom.VERSION)
                .eventId().value()));
        assertThat(ids).contains(levels.eventId().value());
    }

    @Test
    void withoutEventAuthTheAuthEventsAreFetchedOneByOne() {
        room.serveEventAuth = false;
        Pdu levels = newLevels(room.creator(), true);
        Pdu message = messageCiting(levels, "fetched singly");
        JsonNode answer = room.push(a(), A, List.of(message));
        assertThat(answer.path(message.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(room.eventRequests.get()).isGreaterThanOrEqualTo(1);
        assertThat(bodies()).containsExactly("fetched singly");
    }

    @Test
    void unavailableAuthEventsMakeThePduFail() {
        Pdu levels = newLevels(room.creator(), false); // the remote does not know it either
        Pdu message = messageCiting(levels, "cites nothing known");
        JsonNode answer = room.push(a(), A, List.of(message));
        assertThat(answer.path(message.eventId().value()).path("error").asText()).contains("auth events");
        assertThat(bodies()).isEmpty();
    }

    @Test
    void anUnauthorisedAuthEventRejectsThePduOnceAndForAll() {
        // power levels "sent" by someone without the power to: stored as rejected, and so is the message
        Pdu levels = newLevels("@mallory:" + remote.serverName(), true);
        Pdu message = messageCiting(levels, "cites forged levels");
        JsonNode answer = room.push(a(), A, List.of(message));
        String error = answer.path(message.eventId().value()).path("error").asText();
        assertThat(error).contains("rejected");
        assertThat(bodies()).isEmpty();
        int fetches = room.eventAuthRequests.get() + room.eventRequests.get();
        // sent again: the same answer, nothing fetched or checked again
        JsonNode again = room.push(a(), A, List.of(message));
        assertThat(again.path(message.eventId().value()).path("error").asText()).isEqualTo(error);
        assertThat(room.eventAuthRequests.get() + room.eventRequests.get()).isEqualTo(fetches);
        // the rejected levels do not count: the creator's next message on the known head is fine
        Pdu next = room.build(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text")
                .put("body", "fine"), knownHead, stateWithout(levels), room.depth() + 1);
        assertThat(room.push(a(), A, List.of(next)).path(next.eventId().value()).has("error")).isFalse();
        assertThat(bodies()).containsExactly("fine");
    }

    @Test
    void wronglySignedAuthEventsAreNeverStored() {
        Pdu levels = newLevels(room.creator(), false);
        ObjectNode unsigned = levels.json().deepCopy();
        unsigned.remove("signatures");
        unsigned.remove("hashes");
        unsigned.remove("unsigned");
        ObjectNode forgedJson = EventSigning.hashAndSign(unsigned, FakeRemoteRoom.VERSION, ServerName.parse(remote.serverName()),
                SigningKey.generate("remote1"));
        Pdu forged = room.add(Pdu.fromJson(forgedJson, FakeRemoteRoom.VERSION));
        assertThat(forged.eventId()).isEqualTo(levels.eventId());
        Pdu message = messageCiting(forged, "cites forged signature");
        JsonNode answer = room.push(a(), A, List.of(message));
        assertThat(answer.path(message.eventId().value()).path("error").asText()).contains("auth events");
        assertThat(bodies()).isEmpty();
        // nothing was kept: sent again, the auth events are asked for again
        int fetches = room.eventAuthRequests.get();
        room.push(a(), A, List.of(message));
        assertThat(room.eventAuthRequests.get()).isEqualTo(fetches + 1);
        assertThat(bodies()).isEmpty();
    }

    private Map<StateKey, String> stateWithout(Pdu levels) {
        Map<StateKey, String> state = room.state();
        if (levels.eventId().value().equals(state.get(StateKey.POWER_LEVELS))) {
            Pdu previous = room.event(levels.authEvents().stream().map(id -> room.event(id.value()))
                    .filter(p -> p != null && p.type().equals("m.room.power_levels")).findFirst().orElseThrow().eventId().value());
            state.put(StateKey.POWER_LEVELS, previous.eventId().value());
        }
        return state;
    }
}
