package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.auth.SignatureChecker;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.KeyLookup;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.PduSignatures;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import org.junit.jupiter.api.Test;

/** The checks of a {@code send_join} answer, without a server: signatures, auth order, state vs. auth chain. */
class SendJoinResponseVerifierTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServerName REMOTE = ServerName.parse("remote.test");
    private static final SigningKey KEY = SigningKey.generate("k1");
    private static final RoomId ROOM = RoomId.parse("!r:remote.test");
    private static final String CAROL = "@carol:remote.test";

    private final KeyLookup keys = (server, keyId, at) -> server.equals(REMOTE) && keyId.equals(KEY.keyId())
            ? Optional.of(KEY.verifyKey()) : Optional.empty();
    private final SendJoinResponseVerifier verifier = new SendJoinResponseVerifier(new PduVerifier(keys),
            new EventAuthorizer(SignatureChecker.using(new PduSignatures(keys))));
    private final Map<StateKey, EventId> state = new HashMap<>();
    private long depth;
    private EventId last;

    private Pdu event(String type, String stateKey, ObjectNode content, SigningKey key, long eventDepth) {
        List<EventId> auth = type.equals("m.room.create") ? List.of()
                : AuthEventSelection.authEvents(type, stateKey, CAROL, content, state);
        Pdu pdu = PduBuilder.forVersion(RoomVersion.V10).roomId(ROOM).sender(UserId.parse(CAROL)).type(type).stateKey(stateKey)
                .content(content).prevEvents(last == null ? List.of() : List.of(last)).authEvents(auth).depth(eventDepth)
                .originServerTs(1).build(REMOTE, key);
        state.put(StateKey.of(type, stateKey), pdu.eventId());
        last = pdu.eventId();
        return pdu;
    }

    private Pdu event(String type, String stateKey, ObjectNode content) {
        return event(type, stateKey, content, KEY, ++depth);
    }

    private static ArrayNode array(List<Pdu> events) {
        ArrayNode array = JSON.createArrayNode();
        events.forEach(p -> array.add(p.json()));
        return array;
    }

    private static List<String> ids(List<Pdu> events) {
        List<String> ids = new ArrayList<>();
        events.forEach(p -> ids.add(p.eventId().value()));
        return ids;
    }

    @Test
    void separatesTheStateFromTheRestOfTheAuthChainInAuthOrderNotDepthOrder() {
        Pdu create = event("m.room.create", "", JSON.createObjectNode().put("creator", CAROL).put("room_version", "10"));
        Pdu member = event("m.room.member", CAROL, JSON.createObjectNode().put("membership", "join"));
        ObjectNode levels = JSON.createObjectNode();
        levels.putObject("users").put(CAROL, 100);
        // the first power levels claim a depth above the events that cite them (depth is not trusted)
        Pdu oldLevels = event("m.room.power_levels", "", levels, KEY, 50);
        levels.put("state_default", 60);
        Pdu newLevels = event("m.room.power_levels", "", levels);
        Pdu name = event("m.room.name", "", JSON.createObjectNode().put("name", "n"));

        SendJoinResponseVerifier.Verified verified = verifier.verify(array(List.of(create, member, newLevels, name)),
                array(List.of(create, member, oldLevels)), RoomVersion.V10, ROOM);
        assertThat(ids(verified.state())).containsExactlyInAnyOrderElementsOf(ids(List.of(create, member, newLevels, name)));
        assertThat(ids(verified.authChain())).containsExactly(oldLevels.eventId().value());
    }

    @Test
    void leavesOutForgedEventsAndEverythingThatDependsOnThem() {
        Pdu create = event("m.room.create", "", JSON.createObjectNode().put("creator", CAROL).put("room_version", "10"));
        Pdu member = event("m.room.member", CAROL, JSON.createObjectNode().put("membership", "join"));
        ObjectNode levels = JSON.createObjectNode();
        levels.putObject("users").put(CAROL, 100);
        Pdu forgedLevels = event("m.room.power_levels", "", levels, SigningKey.generate("k1"), ++depth);
        Pdu name = event("m.room.name", "", JSON.createObjectNode().put("name", "n"));
        Pdu orphan = PduBuilder.forVersion(RoomVersion.V10).roomId(ROOM).sender(UserId.parse(CAROL)).type("m.room.topic")
                .stateKey("").content(JSON.createObjectNode().put("topic", "t"))
                .prevEvents(List.of()).authEvents(List.of(create.eventId(), new EventId("$missing"), member.eventId()))
                .depth(++depth).originServerTs(1).build(REMOTE, KEY);

        SendJoinResponseVerifier.Verified verified = verifier.verify(array(List.of(create, member, forgedLevels, name, orphan)),
                JSON.createArrayNode(), RoomVersion.V10, ROOM);
        assertThat(ids(verified.state())).containsExactlyInAnyOrderElementsOf(ids(List.of(create, member)));
        assertThat(verified.authChain()).isEmpty();
    }

    @Test
    void eventsOfAnotherRoomAndNonObjectsAreIgnored() {
        Pdu create = event("m.room.create", "", JSON.createObjectNode().put("creator", CAROL).put("room_version", "10"));
        ArrayNode state = array(List.of(create));
        state.add("not an event").add(JSON.createObjectNode().put("room_id", "!other:remote.test"));
        SendJoinResponseVerifier.Verified verified = verifier.verify(state, JSON.nullNode(), RoomVersion.V10, ROOM);
        assertThat(ids(verified.state())).containsExactly(create.eventId().value());
        JsonNode missing = JSON.missingNode();
        assertThat(verifier.verify(missing, missing, RoomVersion.V10, ROOM).state()).isEmpty();
    }
}
