package de.tim.matrix.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.CanonicalJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Builds a complete, hashed and signed PDU. The caller supplies the DAG position ({@code prev_events},
 * {@code depth}) and the {@code auth_events} chosen by {@code AuthEventSelection}.
 */
public final class PduBuilder {

    private final RoomVersion version;
    private RoomId roomId;
    private UserId sender;
    private String type;
    private String stateKey;
    private JsonNode content = JsonNodeFactory.instance.objectNode();
    private final List<EventId> prevEvents = new ArrayList<>();
    private final List<EventId> authEvents = new ArrayList<>();
    private long depth = -1;
    private long originServerTs = -1;
    private EventId redacts;
    private ObjectNode unsigned;

    private PduBuilder(RoomVersion version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    public static PduBuilder forVersion(RoomVersion version) {
        return new PduBuilder(version);
    }

    public PduBuilder roomId(RoomId roomId) {
        this.roomId = roomId;
        return this;
    }

    public PduBuilder sender(UserId sender) {
        this.sender = sender;
        return this;
    }

    public PduBuilder type(String type) {
        this.type = type;
        return this;
    }

    /** Makes this a state event. */
    public PduBuilder stateKey(String stateKey) {
        this.stateKey = stateKey;
        return this;
    }

    public PduBuilder content(JsonNode content) {
        if (!content.isObject()) {
            throw new IllegalArgumentException("content must be a JSON object");
        }
        this.content = content.deepCopy();
        return this;
    }

    public PduBuilder prevEvents(List<EventId> ids) {
        prevEvents.clear();
        prevEvents.addAll(ids);
        return this;
    }

    public PduBuilder authEvents(List<EventId> ids) {
        authEvents.clear();
        authEvents.addAll(ids);
        return this;
    }

    /** The depth a new event gets after {@code prevEvents}: their maximum depth plus one (1 for none). */
    public static long depthAfter(Collection<Pdu> prevEvents) {
        long max = 0;
        for (Pdu prev : prevEvents) {
            max = Math.max(max, prev.depth());
        }
        return Math.min(max + 1, CanonicalJson.MAX_SAFE_INTEGER);
    }

    /** The depth; by spec the maximum depth of the prev events plus one. */
    public PduBuilder depth(long depth) {
        this.depth = depth;
        return this;
    }

    public PduBuilder originServerTs(long millis) {
        this.originServerTs = millis;
        return this;
    }

    /** For {@code m.room.redaction}: placed in content (v11) or at the top level (v9/v10). */
    public PduBuilder redacts(EventId eventId) {
        this.redacts = eventId;
        return this;
    }

    /** Unsigned data (not covered by hashes or signatures). */
    public PduBuilder unsigned(ObjectNode unsigned) {
        this.unsigned = unsigned.deepCopy();
        return this;
    }

    /** The unsigned event JSON (no hashes, no signatures). */
    public ObjectNode toJson() {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(type, "type");
        if (depth < 0 || originServerTs < 0) {
            throw new IllegalStateException("depth and originServerTs must be set");
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("room_id", roomId.value());
        json.put("sender", sender.value());
        json.put("type", type);
        if (stateKey != null) {
            json.put("state_key", stateKey);
        }
        ObjectNode c = content.deepCopy();
        if (redacts != null) {
            if (version.redactsInContent()) {
                c.put("redacts", redacts.value());
            } else {
                json.put("redacts", redacts.value());
            }
        }
        json.set("content", c);
        json.set("prev_events", array(prevEvents));
        json.set("auth_events", array(authEvents));
        json.put("depth", depth);
        json.put("origin_server_ts", originServerTs);
        if (unsigned != null) {
            json.set("unsigned", unsigned);
        }
        return json;
    }

    /** Hashes and signs the event as {@code server} and returns the validated PDU. */
    public Pdu build(ServerName server, SigningKey key) {
        ObjectNode signed = EventSigning.hashAndSign(toJson(), version, server, key);
        return Pdu.fromJson(signed, version);
    }

    private static ArrayNode array(List<EventId> ids) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        ids.forEach(id -> a.add(id.value()));
        return a;
    }
}
