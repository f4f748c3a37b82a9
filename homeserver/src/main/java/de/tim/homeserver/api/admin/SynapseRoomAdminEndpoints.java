package de.tim.homeserver.api.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.room.ClientEvents;
import de.tim.homeserver.room.EventFilter;
import de.tim.homeserver.room.RoomAdminService;
import de.tim.homeserver.room.RoomReader;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Synapse admin API for rooms (server admins of the Host's domain). */
@RestController
public class SynapseRoomAdminEndpoints {

    private final AdminAccess access;
    private final RoomAdminService rooms;
    private final RoomReader reader;
    private final ObjectMapper json;

    SynapseRoomAdminEndpoints(AdminAccess access, RoomAdminService rooms, RoomReader reader, ObjectMapper json) {
        this.access = access;
        this.rooms = rooms;
        this.reader = reader;
        this.json = json;
    }

    /** {@code GET /_synapse/admin/v1/rooms} */
    @GetMapping("/_synapse/admin/v1/rooms")
    Map<String, Object> list(Requester requester, @RequestParam(defaultValue = "0") int from,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(name = "search_term", required = false) String searchTerm) {
        access.requireAdmin(requester);
        if (from < 0 || limit < 0) {
            throw MatrixException.invalidParam("from and limit must not be negative");
        }
        return rooms.list(requester.domain(), from, limit, searchTerm);
    }

    /** {@code GET /_synapse/admin/v1/rooms/{roomId}} */
    @GetMapping("/_synapse/admin/v1/rooms/{roomId}")
    Map<String, Object> details(Requester requester, @PathVariable String roomId) {
        access.requireAdmin(requester);
        return rooms.details(requester.domain(), roomId);
    }

    /** {@code GET /_synapse/admin/v1/rooms/{roomId}/state} */
    @GetMapping("/_synapse/admin/v1/rooms/{roomId}/state")
    Map<String, Object> state(Requester requester, @PathVariable String roomId) {
        access.requireAdmin(requester);
        return Map.of("state", rooms.state(requester.domain(), roomId));
    }

    /** {@code GET /_synapse/admin/v1/rooms/{roomId}/messages} */
    @GetMapping("/_synapse/admin/v1/rooms/{roomId}/messages")
    ObjectNode messages(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(defaultValue = "b") String dir,
            @RequestParam(defaultValue = "10") int limit, @RequestParam(required = false) String filter) {
        access.requireAdmin(requester);
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        boolean forward = dir.equals("f");
        long fromPos = from == null ? (forward ? Long.MIN_VALUE : Long.MAX_VALUE) : RoomReader.parseToken(from);
        RoomReader.Page page = rooms.messages(requester.domain(), roomId, fromPos, to == null ? null : RoomReader.parseToken(to),
                forward, Math.max(0, Math.min(limit, 1000)), filter(filter));
        ObjectNode response = json.createObjectNode();
        var chunk = response.putArray("chunk");
        page.events().forEach(e -> chunk.add(ClientEvents.format(reader, requester.domain(), e, null, null)));
        response.put("start", page.start());
        if (page.end() != null) {
            response.put("end", page.end());
        }
        return response;
    }

    /** {@code GET /_synapse/admin/v1/rooms/{roomId}/context/{eventId}} */
    @GetMapping("/_synapse/admin/v1/rooms/{roomId}/context/{eventId}")
    ObjectNode context(Requester requester, @PathVariable String roomId, @PathVariable String eventId,
            @RequestParam(defaultValue = "10") int limit) {
        access.requireAdmin(requester);
        RoomReader.Context c = rooms.context(requester.domain(), roomId, eventId, Math.max(0, Math.min(limit, 1000)));
        ObjectNode response = json.createObjectNode();
        response.set("event", ClientEvents.format(reader, requester.domain(), c.event(), null, null));
        var before = response.putArray("events_before");
        c.before().forEach(e -> before.add(ClientEvents.format(reader, requester.domain(), e, null, null)));
        var after = response.putArray("events_after");
        c.after().forEach(e -> after.add(ClientEvents.format(reader, requester.domain(), e, null, null)));
        response.put("start", c.start());
        response.put("end", c.end());
        var state = response.putArray("state");
        c.state().forEach(e -> state.add(ClientEvents.format(reader, requester.domain(), e, null, null)));
        return response;
    }

    /**
     * {@code DELETE /_synapse/admin/v2/rooms/{roomId}}: Synapse's v2 shape {@code {"delete_id"}}; the
     * deletion has completed when the response arrives (status endpoints report {@code complete}).
     */
    @DeleteMapping("/_synapse/admin/v2/rooms/{roomId}")
    Map<String, Object> deleteV2(Requester requester, @PathVariable String roomId, @RequestBody(required = false) JsonNode body) {
        access.requireAdmin(requester);
        de.tim.homeserver.id.MatrixIds.requireRoomId(roomId);
        return Map.of("delete_id", rooms.delete(requester.domain(), roomId, requester.userId(), purge(body)));
    }

    /** {@code DELETE /_synapse/admin/v1/rooms/{roomId}}: the v1 shape (kicked users, aliases). */
    @DeleteMapping("/_synapse/admin/v1/rooms/{roomId}")
    Map<String, Object> deleteV1(Requester requester, @PathVariable String roomId, @RequestBody(required = false) JsonNode body) {
        access.requireAdmin(requester);
        de.tim.homeserver.id.MatrixIds.requireRoomId(roomId);
        String id = rooms.delete(requester.domain(), roomId, requester.userId(), purge(body));
        @SuppressWarnings("unchecked")
        Map<String, Object> shutdown = (Map<String, Object>) rooms.deletion(requester.domain(), id).get("shutdown_room");
        return new LinkedHashMap<>(shutdown);
    }

    /** {@code GET /_synapse/admin/v2/rooms/delete_status/{deleteId}} */
    @GetMapping("/_synapse/admin/v2/rooms/delete_status/{deleteId}")
    Map<String, Object> deleteStatus(Requester requester, @PathVariable String deleteId) {
        access.requireAdmin(requester);
        Map<String, Object> status = rooms.deletion(requester.domain(), deleteId);
        if (status == null) {
            throw MatrixException.notFound("Delete id not found");
        }
        return status;
    }

    /** {@code GET /_synapse/admin/v2/rooms/{roomId}/delete_status} */
    @GetMapping("/_synapse/admin/v2/rooms/{roomId}/delete_status")
    Map<String, Object> roomDeleteStatus(Requester requester, @PathVariable String roomId) {
        access.requireAdmin(requester);
        List<Map<String, Object>> results = rooms.deletions(requester.domain(), roomId);
        if (results.isEmpty()) {
            throw MatrixException.notFound("No delete task for room");
        }
        return Map.of("results", results);
    }

    private static boolean purge(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return true;
        }
        if (!body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        JsonNode purge = body.get("purge");
        if (purge != null && !purge.isBoolean()) {
            throw MatrixException.badJson("purge must be a boolean");
        }
        return purge == null || purge.booleanValue();
    }

    private EventFilter filter(String filter) {
        if (filter == null || filter.isEmpty()) {
            return EventFilter.NONE;
        }
        try {
            JsonNode node = json.readTree(filter);
            if (!node.isObject()) {
                throw MatrixException.badJson("filter must be a JSON object");
            }
            return new EventFilter(node);
        } catch (JsonProcessingException e) {
            throw MatrixException.notJson("filter is not JSON");
        }
    }
}
