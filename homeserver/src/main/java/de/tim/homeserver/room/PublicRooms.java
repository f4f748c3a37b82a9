package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Service;

/** The local room directory ({@code /publicRooms}) and room summaries for the admin API. */
@Service
public class PublicRooms {

    private static final int DEFAULT_LIMIT = 100;

    private final RoomRepository rooms;
    private final RoomReader reader;

    PublicRooms(RoomRepository rooms, RoomReader reader) {
        this.rooms = rooms;
        this.reader = reader;
    }

    public Map<String, Object> list(Domain domain, String server, Integer limit, String since, String term) {
        if (server != null && !server.equals(domain.serverName())) {
            throw MatrixException.forbidden("Room directories of other servers need federation");
        }
        int offset = 0;
        if (since != null) {
            try {
                offset = Integer.parseInt(since.startsWith("p") ? since.substring(1) : "x");
            } catch (NumberFormatException e) {
                throw MatrixException.invalidParam("Invalid since token");
            }
        }
        int max = limit == null || limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, 500);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Document room : rooms.publicRooms(domain.database())) {
            Map<String, Object> summary = summary(domain, room.getString("_id"));
            if (term == null || matches(summary, term)) {
                all.add(summary);
            }
        }
        all.sort((a, b) -> Long.compare((Long) b.get("num_joined_members"), (Long) a.get("num_joined_members")));
        Map<String, Object> response = new LinkedHashMap<>();
        int end = Math.min(all.size(), offset + max);
        response.put("chunk", offset >= all.size() ? List.of() : all.subList(offset, end));
        if (end < all.size()) {
            response.put("next_batch", "p" + end);
        }
        if (offset > 0) {
            response.put("prev_batch", "p" + Math.max(0, offset - max));
        }
        response.put("total_room_count_estimate", all.size());
        return response;
    }

    private static boolean matches(Map<String, Object> summary, String term) {
        String t = term.toLowerCase(Locale.ROOT);
        for (String field : List.of("name", "topic", "canonical_alias")) {
            Object v = summary.get(field);
            if (v instanceof String s && s.toLowerCase(Locale.ROOT).contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** {@code PublishedRoomsChunk} fields from the current state. */
    public Map<String, Object> summary(Domain domain, String roomId) {
        Map<StateKey, StateEntry> state = reader.currentState(domain, roomId);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("room_id", roomId);
        long joined = state.entrySet().stream()
                .filter(e -> e.getKey().type().equals(EventTypes.MEMBER) && "join".equals(e.getValue().value())).count();
        s.put("num_joined_members", joined);
        StateEntry hv = state.get(StateKey.of(EventTypes.HISTORY_VISIBILITY, ""));
        s.put("world_readable", hv != null && "world_readable".equals(hv.value()));
        JsonNode guest = content(domain, state, "m.room.guest_access");
        s.put("guest_can_join", guest != null && "can_join".equals(guest.path("guest_access").asText()));
        putText(s, "name", content(domain, state, "m.room.name"), "name");
        putText(s, "topic", content(domain, state, "m.room.topic"), "topic");
        putText(s, "canonical_alias", content(domain, state, "m.room.canonical_alias"), "alias");
        putText(s, "avatar_url", content(domain, state, "m.room.avatar"), "url");
        StateEntry jr = state.get(StateKey.JOIN_RULES);
        if (jr != null && jr.value() != null) {
            s.put("join_rule", jr.value());
        }
        putText(s, "room_type", content(domain, state, EventTypes.CREATE), "type");
        return s;
    }

    private JsonNode content(Domain domain, Map<StateKey, StateEntry> state, String type) {
        StateEntry e = state.get(StateKey.of(type, ""));
        if (e == null) {
            return null;
        }
        StoredEvent event = reader.load(domain, e.eventId());
        return event.redactedBy() != null ? event.pdu().redacted().content() : event.pdu().content();
    }

    private static void putText(Map<String, Object> target, String field, JsonNode content, String key) {
        if (content != null && content.path(key).isTextual()) {
            target.put(field, content.get(key).textValue());
        }
    }
}
