package de.tim.homeserver.api.client.room;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.room.ClientEvents;
import de.tim.homeserver.room.EventFilter;
import de.tim.homeserver.room.EventFormat;
import de.tim.homeserver.room.RoomCreation;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.RoomService;
import de.tim.homeserver.room.StoredEvent;
import de.tim.homeserver.room.TimelineReader;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec areas "Room creation", "Sending events", "Getting events for a room", "Redactions". */
@RestController
public class RoomEndpoints {

    private static final int MAX_LIMIT = 1000;

    private final RoomCreation creation;
    private final RoomService rooms;
    private final RoomReader reader;
    private final TimelineReader timeline;
    private final ObjectMapper json;

    RoomEndpoints(RoomCreation creation, RoomService rooms, RoomReader reader, TimelineReader timeline, ObjectMapper json) {
        this.creation = creation;
        this.rooms = rooms;
        this.reader = reader;
        this.timeline = timeline;
        this.json = json;
    }

    /** {@code POST /_matrix/client/v3/createRoom} */
    @PostMapping("/_matrix/client/v3/createRoom")
    Map<String, Object> createRoom(Requester requester, @RequestBody JsonNode body) {
        return Map.of("room_id", creation.create(requester, body));
    }

    /** {@code PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}} */
    @PutMapping("/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}")
    Map<String, Object> send(Requester requester, @PathVariable String roomId, @PathVariable String eventType,
            @PathVariable String txnId, @RequestBody JsonNode body) {
        return Map.of("event_id", rooms.sendMessage(requester, roomId, eventType, txnId, body));
    }

    /** {@code PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}[/{stateKey}]} */
    @PutMapping({"/_matrix/client/v3/rooms/{roomId}/state/{eventType}", "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/", "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}"})
    Map<String, Object> putState(Requester requester, @PathVariable String roomId, @PathVariable String eventType,
            @PathVariable(required = false) String stateKey, @RequestBody JsonNode body) {
        return Map.of("event_id", rooms.putState(requester, roomId, eventType, stateKey == null ? "" : stateKey, body));
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}[/{stateKey}]} */
    @GetMapping({"/_matrix/client/v3/rooms/{roomId}/state/{eventType}", "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/", "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}"})
    JsonNode getState(Requester requester, @PathVariable String roomId, @PathVariable String eventType,
            @PathVariable(required = false) String stateKey, @RequestParam(required = false) String format) {
        ObjectNode event = reader.stateEvent(requester, roomId, eventType, stateKey == null ? "" : stateKey);
        return "event".equals(format) ? event : event.get("content");
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/state} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/state")
    List<ObjectNode> state(Requester requester, @PathVariable String roomId) {
        return reader.state(requester, roomId);
    }

    /** {@code PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}} */
    @PutMapping("/_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}")
    Map<String, Object> redact(Requester requester, @PathVariable String roomId, @PathVariable String eventId,
            @PathVariable String txnId, @RequestBody(required = false) JsonNode body) {
        String reason = null;
        if (body != null && !body.isMissingNode() && !body.isNull()) {
            if (!body.isObject()) {
                throw MatrixException.badJson("Body must be a JSON object");
            }
            JsonNode r = body.get("reason");
            if (r != null && !r.isTextual()) {
                throw MatrixException.badJson("reason must be a string");
            }
            reason = r == null ? null : r.textValue();
        }
        return Map.of("event_id", rooms.redact(requester, roomId, eventId, txnId, reason));
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/event/{eventId}")
    ObjectNode event(Requester requester, @PathVariable String roomId, @PathVariable String eventId) {
        return reader.event(requester, roomId, eventId);
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/messages} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/messages")
    ObjectNode messages(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false, defaultValue = "b") String dir,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String filter) {
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        boolean forward = dir.equals("f");
        JsonNode filterJson = parseFilterJson(filter);
        EventFilter eventFilter = filterJson == null ? EventFilter.NONE : new EventFilter(filterJson);
        EventFormat format = EventFormat.of(filterJson);
        int max = limit(limit, 10);
        reader.view(requester.domain(), requester.userId(), roomId);
        long fromPos = from == null ? (forward ? Long.MIN_VALUE : Long.MAX_VALUE) : RoomReader.parseToken(from);
        Long toPos = to == null ? null : RoomReader.parseToken(to);
        RoomReader.Page page = timeline.page(requester.domain(), requester.userId(), roomId, fromPos, toPos, forward, max, eventFilter);
        ObjectNode response = json.createObjectNode();
        response.put("start", page.start());
        if (page.end() != null) {
            response.put("end", page.end());
        }
        var chunk = response.putArray("chunk");
        page.events().forEach(e -> chunk.add(format(format, requester, e)));
        if (eventFilter.lazyLoadMembers()) {
            var state = response.putArray("state");
            var view = reader.view(requester.domain(), requester.userId(), roomId);
            reader.memberEvents(requester.domain(), view.state(), page.events().stream().map(StoredEvent::sender).toList())
                    .forEach(e -> state.add(format(format, requester, e)));
        }
        return response;
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/context/{eventId}} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/context/{eventId}")
    ObjectNode context(Requester requester, @PathVariable String roomId, @PathVariable String eventId,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String filter) {
        JsonNode filterJson = parseFilterJson(filter);
        EventFormat format = EventFormat.of(filterJson);
        RoomReader.Context context = timeline.context(requester, roomId, eventId, limit(limit, 10),
                filterJson == null ? EventFilter.NONE : new EventFilter(filterJson));
        ObjectNode response = json.createObjectNode();
        response.set("event", format(format, requester, context.event()));
        var before = response.putArray("events_before");
        context.before().forEach(e -> before.add(format(format, requester, e)));
        var after = response.putArray("events_after");
        context.after().forEach(e -> after.add(format(format, requester, e)));
        response.put("start", context.start());
        response.put("end", context.end());
        var state = response.putArray("state");
        context.state().forEach(e -> state.add(format(format, requester, e)));
        return response;
    }

    /** {@code GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]} */
    @GetMapping({"/_matrix/client/v1/rooms/{roomId}/relations/{eventId}", "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}",
            "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}/{relType}/{eventType}"})
    ObjectNode relations(Requester requester, @PathVariable String roomId, @PathVariable String eventId,
            @PathVariable(required = false) String relType, @PathVariable(required = false) String eventType,
            @RequestParam(required = false) String from, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false, defaultValue = "b") String dir) {
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        RoomReader.Page page = timeline.relations(requester, roomId, eventId, relType, eventType, from, dir.equals("f"), limit(limit, 5));
        ObjectNode response = json.createObjectNode();
        var chunk = response.putArray("chunk");
        page.events().forEach(e -> chunk.add(ClientEvents.format(reader, requester.domain(), e, requester)));
        if (page.end() != null) {
            response.put("next_batch", page.end());
        }
        if (from != null) {
            response.put("prev_batch", from);
        }
        return response;
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/members} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/members")
    Map<String, Object> members(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String at,
            @RequestParam(required = false) String membership, @RequestParam(name = "not_membership", required = false) String notMembership) {
        return Map.of("chunk", reader.members(requester, roomId, membership, notMembership, at));
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/joined_members} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/joined_members")
    Map<String, Object> joinedMembers(Requester requester, @PathVariable String roomId) {
        return Map.of("joined", reader.joinedMembers(requester, roomId));
    }

    private ObjectNode format(EventFormat format, Requester requester, StoredEvent event) {
        return format.format(reader, requester.domain(), event, requester.userId(), requester.deviceId());
    }

    /** The {@code RoomEventFilter} JSON (with {@code event_fields}/{@code event_format} also honoured); null without. */
    private JsonNode parseFilterJson(String filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(filter);
            if (!node.isObject()) {
                throw MatrixException.badJson("filter must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MatrixException.notJson("filter is not JSON");
        }
    }

    private static int limit(Integer limit, int fallback) {
        if (limit == null) {
            return fallback;
        }
        if (limit < 0) {
            throw MatrixException.invalidParam("limit must not be negative");
        }
        return Math.min(limit, MAX_LIMIT);
    }
}
