package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.KeyLookup;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.PduSignatures;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.StrictJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A linear test room: builds real signed PDUs whose auth events follow the auth events selection. */
final class TestRoom {

    static final String ALICE = "@alice:a.example";
    static final String BOB = "@bob:b.example";
    static final String CAROL = "@carol:a.example";
    static final String DAVE = "@dave:b.example";

    private static final Map<ServerName, SigningKey> KEYS = new HashMap<>();

    final RoomVersion version;
    final RoomId roomId = RoomId.parse("!room:a.example");
    final Map<StateKey, Pdu> state = new HashMap<>();
    Pdu last;
    long ts = 1000;

    TestRoom(RoomVersion version) {
        this.version = version;
    }

    static SigningKey keyOf(ServerName server) {
        synchronized (KEYS) {
            return KEYS.computeIfAbsent(server, s -> SigningKey.generate("k"));
        }
    }

    static final KeyLookup KEY_LOOKUP = (server, keyId, at) ->
            Optional.of(keyOf(server).verifyKey()).filter(k -> k.keyId().equals(keyId));
    static final SignatureChecker SIGNATURES = SignatureChecker.using(new PduSignatures(KEY_LOOKUP));
    static final EventAuthorizer AUTHORIZER = new EventAuthorizer(SIGNATURES);

    /** A room created by Alice who joined, with default (spec-less) power levels set by her. */
    static TestRoom standard(RoomVersion version) {
        TestRoom room = new TestRoom(version);
        room.accept(room.create(ALICE, "{}"));
        room.accept(room.member(ALICE, ALICE, "join"));
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100}}"));
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", "{\"join_rule\":\"invite\"}"));
        return room;
    }

    Pdu create(String sender, String extraContent) {
        ObjectNode content = StrictJson.parseObject(extraContent);
        content.put("room_version", version.id());
        if (version.createHasCreator() && !content.has("creator")) {
            content.put("creator", sender);
        }
        return build(sender, EventTypes.CREATE, "", content, List.of(), List.of());
    }

    Pdu member(String sender, String target, String membership) {
        return state(sender, EventTypes.MEMBER, target, "{\"membership\":\"" + membership + "\"}");
    }

    Pdu state(String sender, String type, String stateKey, String content) {
        return event(sender, type, stateKey, StrictJson.parseObject(content));
    }

    Pdu message(String sender, String type) {
        return event(sender, type, null, StrictJson.parseObject("{\"body\":\"x\"}"));
    }

    /** An event citing the selected auth events from the current state and the last event as prev. */
    Pdu event(String sender, String type, String stateKey, ObjectNode content) {
        List<EventId> auth = new ArrayList<>();
        for (StateKey key : AuthEventSelection.select(type, stateKey, sender, content)) {
            Pdu e = state.get(key);
            if (e != null) {
                auth.add(e.eventId());
            }
        }
        return build(sender, type, stateKey, content, last == null ? List.of() : List.of(last.eventId()), auth);
    }

    Pdu build(String sender, String type, String stateKey, ObjectNode content, List<EventId> prev, List<EventId> auth) {
        UserId user = UserId.parseHistorical(sender);
        PduBuilder b = PduBuilder.forVersion(version).roomId(roomId).sender(user).type(type).content(content)
                .prevEvents(prev).authEvents(auth).depth(last == null ? 1 : last.depth() + 1).originServerTs(ts++);
        if (stateKey != null) {
            b.stateKey(stateKey);
        }
        return b.build(user.domain(), keyOf(user.domain()));
    }

    AuthResult check(Pdu event) {
        return AUTHORIZER.check(event, new AuthState(state, version));
    }

    /** Checks against the current state and applies the event; fails the test set-up if it is rejected. */
    Pdu accept(Pdu event) {
        AuthResult result = check(event);
        if (!result.allowed()) {
            throw new IllegalStateException("Set-up event rejected: " + event + " " + result.reason());
        }
        last = event;
        event.stateTuple().ifPresent(k -> state.put(k, event));
        return event;
    }

    /** Applies an event without checking (to construct unusual states). */
    Pdu force(Pdu event) {
        last = event;
        event.stateTuple().ifPresent(k -> state.put(k, event));
        return event;
    }
}
