package de.tim.homeserver.api.federation.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.access.RoomAccess;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Retrieving events", "Backfilling and retrieving missing events", "Event auth". */
@RestController
public class FederationEventEndpoints {

    private static final int MAX_BACKFILL = 100;
    private static final int MAX_MISSING = 100;

    private final FederationRoomReader reader;
    private final RoomAccess access;

    FederationEventEndpoints(FederationRoomReader reader, RoomAccess access) {
        this.reader = reader;
        this.access = access;
    }

    /** {@code GET /_matrix/federation/v1/event/{eventId}} */
    @GetMapping("/_matrix/federation/v1/event/{eventId}")
    Map<String, Object> event(Domain domain, FederationOrigin origin, @PathVariable String eventId) {
        StoredEvent event = reader.eventForServers(domain, eventId).orElseThrow(() -> MatrixException.notFound("Event not found"));
        access.requireMaySee(domain, origin, event);
        return transaction(domain, List.of(reader.federationJson(event)));
    }

    /** {@code GET /_matrix/federation/v1/state_ids/{roomId}} */
    @GetMapping("/_matrix/federation/v1/state_ids/{roomId}")
    Map<String, Object> stateIds(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @RequestParam(name = "event_id", required = false) String eventId) {
        StoredEvent event = stateEvent(domain, origin, roomId, eventId);
        List<String> state = reader.stateIdsBefore(domain, event);
        return Map.of("pdu_ids", state, "auth_chain_ids", List.copyOf(reader.authChainIds(domain, state)));
    }

    /** {@code GET /_matrix/federation/v1/state/{roomId}} */
    @GetMapping("/_matrix/federation/v1/state/{roomId}")
    Map<String, Object> state(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @RequestParam(name = "event_id", required = false) String eventId) {
        StoredEvent event = stateEvent(domain, origin, roomId, eventId);
        List<String> state = reader.stateIdsBefore(domain, event);
        return Map.of("pdus", pdus(domain, state), "auth_chain", pdus(domain, reader.authChainIds(domain, state)));
    }

    /** {@code GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}} */
    @GetMapping("/_matrix/federation/v1/event_auth/{roomId}/{eventId}")
    Map<String, Object> eventAuth(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String eventId) {
        StoredEvent event = stateEvent(domain, origin, roomId, eventId);
        return Map.of("auth_chain", pdus(domain, reader.authChainIds(domain, List.of(event.eventId()))));
    }

    /** {@code GET /_matrix/federation/v1/backfill/{roomId}} */
    @GetMapping("/_matrix/federation/v1/backfill/{roomId}")
    Map<String, Object> backfill(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @RequestParam(name = "v", required = false) List<String> from,
            @RequestParam(name = "limit", required = false) Integer limit) {
        if (from == null || from.isEmpty()) {
            throw MatrixException.missingParam("Missing v");
        }
        if (limit == null || limit < 1) {
            throw MatrixException.invalidParam("limit must be a positive integer");
        }
        access.requireInRoom(domain, origin, roomId);
        List<ObjectNode> pdus = new ArrayList<>();
        for (StoredEvent event : reader.backfill(domain, roomId, from, Math.min(limit, MAX_BACKFILL))) {
            pdus.add(reader.federationJsonFor(domain, event, origin.server()));
        }
        return transaction(domain, pdus);
    }

    /** {@code POST /_matrix/federation/v1/get_missing_events/{roomId}} */
    @PostMapping("/_matrix/federation/v1/get_missing_events/{roomId}")
    Map<String, Object> missingEvents(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @RequestBody JsonNode body) {
        List<String> earliest = ids(body.path("earliest_events"), "earliest_events");
        List<String> latest = ids(body.path("latest_events"), "latest_events");
        JsonNode limitNode = body.path("limit");
        JsonNode minDepthNode = body.path("min_depth");
        if (!(limitNode.isMissingNode() || limitNode.isIntegralNumber())
                || !(minDepthNode.isMissingNode() || minDepthNode.isIntegralNumber())) {
            throw MatrixException.badJson("limit and min_depth must be integers");
        }
        int limit = (int) Math.max(0, Math.min(MAX_MISSING, limitNode.isMissingNode() ? 10 : limitNode.longValue()));
        long minDepth = minDepthNode.isMissingNode() ? 0 : minDepthNode.longValue();
        access.requireInRoom(domain, origin, roomId);
        List<ObjectNode> events = new ArrayList<>();
        for (StoredEvent event : reader.missingEvents(domain, roomId, earliest, latest, limit, minDepth)) {
            events.add(reader.federationJsonFor(domain, event, origin.server()));
        }
        return Map.of("events", events);
    }

    private StoredEvent stateEvent(Domain domain, FederationOrigin origin, String roomId, String eventId) {
        if (eventId == null || eventId.isEmpty()) {
            throw MatrixException.missingParam("Missing event_id");
        }
        access.requireInRoom(domain, origin, roomId);
        StoredEvent event = reader.event(domain, eventId).filter(e -> e.roomId().equals(roomId))
                .orElseThrow(() -> MatrixException.notFound("Event not found in this room"));
        return event;
    }

    private List<ObjectNode> pdus(Domain domain, java.util.Collection<String> ids) {
        return reader.events(domain, ids).stream().map(reader::federationJson).toList();
    }

    private static List<String> ids(JsonNode node, String field) {
        if (!node.isArray()) {
            throw MatrixException.badJson(field + " must be an array of event ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw MatrixException.badJson(field + " must be an array of event ids");
            }
            ids.add(id.textValue());
        }
        if (ids.size() > 20) {
            throw MatrixException.invalidParam("Too many event ids in " + field);
        }
        return ids;
    }

    private static Map<String, Object> transaction(Domain domain, List<ObjectNode> pdus) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("origin", domain.serverName());
        body.put("origin_server_ts", System.currentTimeMillis());
        body.put("pdus", pdus);
        return body;
    }
}
