package de.tim.matrix.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.UserId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A validated room event (PDU) of room version 9–11 with its computed event ID. Immutable: the JSON is
 * copied in and {@link #json()} hands out copies; {@link #content()} is a read-only view by contract.
 */
public final class Pdu {

    private final ObjectNode json;
    private final RoomVersion roomVersion;
    private final EventId eventId;
    private final List<EventId> prevEvents;
    private final List<EventId> authEvents;
    private final UserId sender;
    private final RoomId roomId;

    private Pdu(ObjectNode json, RoomVersion roomVersion) {
        this(json, roomVersion, EventHashing.eventId(json, roomVersion));
    }

    private Pdu(ObjectNode json, RoomVersion roomVersion, EventId eventId) {
        this.json = json;
        this.roomVersion = roomVersion;
        this.eventId = eventId;
        this.prevEvents = ids(json.get("prev_events"));
        this.authEvents = ids(json.get("auth_events"));
        this.sender = UserId.parseHistorical(json.get("sender").textValue());
        this.roomId = RoomId.parse(json.get("room_id").textValue());
    }

    /**
     * Validates the format (see {@link PduFormat}) and wraps a copy of the JSON. An {@code event_id} key
     * is dropped: in room versions 4+ the ID is the reference hash, and a stored client-format copy
     * (see {@link #jsonWithEventId()}) must not change the hash when it is read back.
     */
    public static Pdu fromJson(ObjectNode json, RoomVersion roomVersion) {
        ObjectNode copy = json.deepCopy();
        copy.remove("event_id");
        PduFormat.validate(copy, roomVersion);
        return new Pdu(copy, roomVersion);
    }

    /**
     * Wraps an event this server validated and identified before it stored it, with that event ID: no format
     * check, no copy and no reference hash (canonical JSON of the whole event), which made reading stored
     * events — the hot path of {@code /sync} — cost more than anything else. Never for JSON from elsewhere.
     */
    public static Pdu fromStorage(ObjectNode json, RoomVersion roomVersion, EventId eventId) {
        json.remove("event_id");
        return new Pdu(json, roomVersion, eventId);
    }

    private static List<EventId> ids(JsonNode array) {
        List<EventId> ids = new ArrayList<>(array.size());
        array.forEach(n -> ids.add(new EventId(n.textValue())));
        return Collections.unmodifiableList(ids);
    }

    public EventId eventId() {
        return eventId;
    }

    public RoomVersion roomVersion() {
        return roomVersion;
    }

    public RoomId roomId() {
        return roomId;
    }

    /** The sender; parsed leniently, as remote senders may use historical localparts. */
    public UserId sender() {
        return sender;
    }

    public String type() {
        return json.get("type").textValue();
    }

    public Optional<String> stateKey() {
        JsonNode key = json.get("state_key");
        return key == null ? Optional.empty() : Optional.of(key.textValue());
    }

    public boolean isState() {
        return json.has("state_key");
    }

    /** {@code (type, state_key)} for state events. */
    public Optional<StateKey> stateTuple() {
        return stateKey().map(k -> new StateKey(type(), k));
    }

    /** The content; do not modify. */
    public JsonNode content() {
        return json.get("content");
    }

    /** {@code content.membership} of member events. */
    public Optional<String> membership() {
        JsonNode m = content().get("membership");
        return m != null && m.isTextual() ? Optional.of(m.textValue()) : Optional.empty();
    }

    public long originServerTs() {
        return json.get("origin_server_ts").asLong();
    }

    public long depth() {
        return json.get("depth").asLong();
    }

    public List<EventId> prevEvents() {
        return prevEvents;
    }

    public List<EventId> authEvents() {
        return authEvents;
    }

    /** The redacted event of an {@code m.room.redaction} (content in v11, top level before). */
    public Optional<EventId> redacts() {
        if (!EventTypes.REDACTION.equals(type())) {
            return Optional.empty();
        }
        JsonNode r = roomVersion.redactsInContent() ? content().get("redacts") : json.get("redacts");
        return r != null && r.isTextual() ? Optional.of(new EventId(r.textValue())) : Optional.empty();
    }

    /** A copy of the PDU JSON as sent over federation (no {@code event_id}). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** A copy of the PDU JSON with {@code event_id} added, as served to clients. */
    public ObjectNode jsonWithEventId() {
        ObjectNode copy = json.deepCopy();
        copy.put("event_id", eventId.value());
        return copy;
    }

    /**
     * The event in the C-S API's {@code ClientEvent} shape: {@code content}, {@code event_id},
     * {@code origin_server_ts}, {@code room_id}, {@code sender}, {@code state_key}, {@code type},
     * {@code unsigned}. Redaction events carry {@code redacts} both at the top level and in the content,
     * as room version 11 asks servers to do for compatibility.
     */
    public ObjectNode toClientEvent() {
        ObjectNode client = json.objectNode();
        client.set("content", content().deepCopy());
        client.put("event_id", eventId.value());
        client.put("origin_server_ts", originServerTs());
        client.put("room_id", roomId.value());
        client.put("sender", sender.value());
        stateKey().ifPresent(k -> client.put("state_key", k));
        client.put("type", type());
        JsonNode unsigned = json.get("unsigned");
        client.set("unsigned", unsigned != null && unsigned.isObject() ? unsigned.deepCopy() : json.objectNode());
        redacts().ifPresent(r -> {
            client.put("redacts", r.value());
            ((ObjectNode) client.get("content")).put("redacts", r.value());
        });
        return client;
    }

    /** This event redacted per its room version. */
    public Pdu redacted() {
        return new Pdu(Redaction.redact(json, roomVersion), roomVersion);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pdu other && eventId.equals(other.eventId);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return "Pdu[" + eventId + " " + type() + stateKey().map(k -> " '" + k + "'").orElse("") + "]";
    }
}
