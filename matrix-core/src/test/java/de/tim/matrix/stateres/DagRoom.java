package de.tim.matrix.stateres;

import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.StrictJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A room DAG for state resolution scenarios: every event gets the state before it by resolving the
 * states after its prev events, cites auth events chosen from that state, and records the state after
 * it (without auth checks, so that forks may contain events that lose in resolution).
 */
final class DagRoom {

    static final String ALICE = "@alice:a.example";
    static final String BOB = "@bob:b.example";
    static final String CHARLIE = "@charlie:c.example";
    static final String ZARA = "@zara:z.example";
    static final String ELLA = "@ella:e.example";

    private static final SigningKey KEY = SigningKey.generate("k");

    final RoomVersion version;
    final StateResolver resolver = new StateResolver(new EventAuthorizer((event, server) -> true));
    final Map<String, Pdu> byName = new HashMap<>();
    final Map<EventId, Pdu> all = new HashMap<>();
    final Map<EventId, Map<StateKey, EventId>> stateAfter = new HashMap<>();
    final EventSource source = id -> Optional.ofNullable(all.get(id));
    private long ts = 0;

    DagRoom(RoomVersion version) {
        this.version = version;
    }

    /** Synapse's classic initial room: Alice creates (PL 100), public, Bob, Charlie and Zara joined. */
    static DagRoom initial(RoomVersion version) {
        DagRoom room = new DagRoom(version);
        String create = version.createHasCreator() ? "{\"creator\":\"" + ALICE + "\"}" : "{}";
        room.add("CREATE", ALICE, EventTypes.CREATE, "", create);
        room.add("IMA", ALICE, EventTypes.MEMBER, ALICE, join(), "CREATE");
        room.add("IPOWER", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100}}", "IMA");
        room.add("IJR", ALICE, EventTypes.JOIN_RULES, "", "{\"join_rule\":\"public\"}", "IPOWER");
        room.add("IMB", BOB, EventTypes.MEMBER, BOB, join(), "IJR");
        room.add("IMC", CHARLIE, EventTypes.MEMBER, CHARLIE, join(), "IMB");
        room.add("IMZ", ZARA, EventTypes.MEMBER, ZARA, join(), "IMC");
        room.add("START", ZARA, "m.room.message", null, "{\"body\":\"start\"}", "IMZ");
        return room;
    }

    static String join() {
        return "{\"membership\":\"join\"}";
    }

    Pdu add(String name, String sender, String type, String stateKey, String content, String... prevs) {
        Map<StateKey, EventId> before = stateBefore(prevs);
        var json = StrictJson.parseObject(content);
        if (EventTypes.CREATE.equals(type)) {
            json.put("room_version", version.id());
        }
        List<EventId> auth = new ArrayList<>();
        if (!EventTypes.CREATE.equals(type)) {
            for (StateKey key : AuthEventSelection.select(type, stateKey, sender, json)) {
                EventId id = before.get(key);
                if (id != null) {
                    auth.add(id);
                }
            }
        }
        List<EventId> prevIds = new ArrayList<>();
        long depth = 0;
        for (String prev : prevs) {
            Pdu p = byName.get(prev);
            prevIds.add(p.eventId());
            depth = Math.max(depth, p.depth());
        }
        UserId user = UserId.parse(sender);
        PduBuilder b = PduBuilder.forVersion(version).roomId(RoomId.parse("!room:a.example")).sender(user).type(type)
                .content(json).prevEvents(prevIds).authEvents(auth).depth(depth + 1).originServerTs(++ts);
        if (stateKey != null) {
            b.stateKey(stateKey);
        }
        Pdu event = b.build(user.domain(), KEY);
        byName.put(name, event);
        all.put(event.eventId(), event);
        Map<StateKey, EventId> after = new HashMap<>(before);
        event.stateTuple().ifPresent(k -> after.put(k, event.eventId()));
        stateAfter.put(event.eventId(), after);
        return event;
    }

    Map<StateKey, EventId> stateBefore(String... prevs) {
        if (prevs.length == 0) {
            return Map.of();
        }
        if (prevs.length == 1) {
            return stateAfter.get(byName.get(prevs[0]).eventId());
        }
        List<Map<StateKey, EventId>> states = new ArrayList<>();
        for (String prev : prevs) {
            states.add(stateAfter.get(byName.get(prev).eventId()));
        }
        Map<StateKey, EventId> resolved = resolver.resolve(version, states, source);
        List<Map<StateKey, EventId>> reversed = new ArrayList<>(states);
        java.util.Collections.reverse(reversed);
        if (!resolver.resolve(version, reversed, source).equals(resolved)) {
            throw new AssertionError("State resolution depends on the order of the input states");
        }
        return resolved;
    }

    EventId id(String name) {
        return byName.get(name).eventId();
    }

    /** The name an event was added under. */
    String nameOf(Pdu event) {
        return byName.entrySet().stream().filter(e -> e.getValue().equals(event)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /** The name of the event the state holds for {@code key}, or null. */
    String nameAt(Map<StateKey, EventId> state, StateKey key) {
        EventId id = state.get(key);
        if (id == null) {
            return null;
        }
        return byName.entrySet().stream().filter(e -> e.getValue().eventId().equals(id)).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }
}
