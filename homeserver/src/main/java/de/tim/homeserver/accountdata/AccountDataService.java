package de.tim.homeserver.accountdata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.SyncSignals;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Global and per-room account data, and room tags (stored as room account data {@code m.tag}). Every
 * change is stamped with a position of {@link StreamPositions#ACCOUNT_DATA} for incremental sync and wakes
 * waiting syncs (here and, through {@link SyncSignals}, on the other instances).
 */
@Service
public class AccountDataService {

    /** Room account data type holding a room's tags. */
    public static final String TAG_TYPE = "m.tag";
    private static final String GLOBAL = "";

    private final AccountDataRepository repository;
    private final StreamPositions positions;
    private final ObjectMapper json;
    private final SyncSignals signals;

    AccountDataService(AccountDataRepository repository, StreamPositions positions, ObjectMapper json, SyncSignals signals) {
        this.signals = signals;
        this.repository = repository;
        this.positions = positions;
        this.json = json;
    }

    /** All account data of a user: global by type, and per room by type. */
    public record All(Map<String, JsonNode> global, Map<String, Map<String, JsonNode>> rooms) {
    }

    /** One change for sync: room id null for global data. */
    public record Change(String roomId, String type, JsonNode content, long streamPos) {
    }

    public long put(Domain domain, String userId, String roomId, String type, JsonNode content) {
        if (!content.isObject()) {
            throw MatrixException.badJson("Account data content must be a JSON object");
        }
        String contentJson = write(content);
        long pos = repository.put(domain.database(), userId, roomId == null ? GLOBAL : roomId, type, contentJson,
                positions.next(domain, StreamPositions.ACCOUNT_DATA));
        signals.changed(domain, StreamPositions.ACCOUNT_DATA, pos);
        return pos;
    }

    public Optional<JsonNode> get(Domain domain, String userId, String roomId, String type) {
        Document doc = repository.find(domain.database(), userId, roomId == null ? GLOBAL : roomId, type);
        return Optional.ofNullable(doc).map(d -> read(d.getString("content")));
    }

    public All all(Domain domain, String userId) {
        Map<String, JsonNode> global = new LinkedHashMap<>();
        Map<String, Map<String, JsonNode>> rooms = new LinkedHashMap<>();
        for (Document doc : repository.findAll(domain.database(), userId)) {
            JsonNode content = read(doc.getString("content"));
            String roomId = doc.getString("room_id");
            if (GLOBAL.equals(roomId)) {
                global.put(doc.getString("type"), content);
            } else {
                rooms.computeIfAbsent(roomId, r -> new LinkedHashMap<>()).put(doc.getString("type"), content);
            }
        }
        return new All(global, rooms);
    }

    /** Changes with {@code since < stream_pos <= upTo}, oldest first (for incremental sync). */
    public List<Change> changedSince(Domain domain, String userId, long since, long upTo) {
        return repository.changedSince(domain.database(), userId, since, upTo).stream()
                .map(d -> new Change(GLOBAL.equals(d.getString("room_id")) ? null : d.getString("room_id"),
                        d.getString("type"), read(d.getString("content")), ((Number) d.get("stream_pos")).longValue()))
                .toList();
    }

    /** The room's tags ({@code {"tag": {"order": 0.5}}}), empty when none. */
    public ObjectNode tags(Domain domain, String userId, String roomId) {
        JsonNode tags = get(domain, userId, roomId, TAG_TYPE).map(c -> c.path("tags")).orElse(null);
        return tags != null && tags.isObject() ? (ObjectNode) tags.deepCopy() : json.createObjectNode();
    }

    public void putTag(Domain domain, String userId, String roomId, String tag, JsonNode tagContent) {
        if (!tagContent.isObject()) {
            throw MatrixException.badJson("Tag content must be a JSON object");
        }
        JsonNode order = tagContent.get("order");
        if (order != null && !order.isNumber()) {
            throw MatrixException.badJson("order must be a number");
        }
        ObjectNode tags = tags(domain, userId, roomId);
        tags.set(tag, tagContent);
        storeTags(domain, userId, roomId, tags);
    }

    public void deleteTag(Domain domain, String userId, String roomId, String tag) {
        ObjectNode tags = tags(domain, userId, roomId);
        if (tags.remove(tag) != null) {
            storeTags(domain, userId, roomId, tags);
        }
    }

    private void storeTags(Domain domain, String userId, String roomId, ObjectNode tags) {
        ObjectNode content = json.createObjectNode();
        content.set("tags", tags);
        put(domain, userId, roomId, TAG_TYPE, content);
    }

    private String write(JsonNode content) {
        try {
            return json.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw MatrixException.badJson("Invalid content");
        }
    }

    private JsonNode read(String content) {
        try {
            return json.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored account data is not JSON", e);
        }
    }
}
