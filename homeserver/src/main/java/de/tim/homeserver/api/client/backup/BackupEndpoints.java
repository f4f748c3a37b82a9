package de.tim.homeserver.api.client.backup;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.e2ee.backup.BackupService;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec section "Server-side key backups": {@code /room_keys/version} and {@code /room_keys/keys}. */
@RestController
public class BackupEndpoints {

    private static final String BASE = "/_matrix/client/v3/room_keys";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final BackupService backups;

    BackupEndpoints(BackupService backups) {
        this.backups = backups;
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        return body;
    }

    private static String version(String version) {
        if (version == null) {
            throw MatrixException.missingParam("version is required");
        }
        return version;
    }

    @PostMapping(BASE + "/version")
    Map<String, Object> create(Requester requester, @RequestBody JsonNode body) {
        return Map.of("version", backups.createVersion(requester.domain(), requester.userId(), object(body)));
    }

    @GetMapping(BASE + "/version")
    ObjectNode current(Requester requester) {
        return backups.versionInfo(requester.domain(), requester.userId(), null);
    }

    @GetMapping(BASE + "/version/{version}")
    ObjectNode get(Requester requester, @PathVariable String version) {
        return backups.versionInfo(requester.domain(), requester.userId(), version);
    }

    @PutMapping(BASE + "/version/{version}")
    Map<String, Object> update(Requester requester, @PathVariable String version, @RequestBody JsonNode body) {
        backups.updateVersion(requester.domain(), requester.userId(), version, object(body));
        return Map.of();
    }

    @DeleteMapping(BASE + "/version/{version}")
    Map<String, Object> delete(Requester requester, @PathVariable String version) {
        backups.deleteVersion(requester.domain(), requester.userId(), version);
        return Map.of();
    }

    @PutMapping(BASE + "/keys")
    ObjectNode putAll(Requester requester, @RequestParam(required = false) String version, @RequestBody JsonNode body) {
        JsonNode rooms = object(body).get("rooms");
        if (rooms == null) {
            throw MatrixException.badJson("rooms is required");
        }
        return backups.putKeys(requester.domain(), requester.userId(), version(version), rooms);
    }

    @PutMapping(BASE + "/keys/{roomId}")
    ObjectNode putRoom(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String version,
            @RequestBody JsonNode body) {
        MatrixIds.requireRoomId(roomId);
        ObjectNode rooms = F.objectNode();
        rooms.set(roomId, object(body));
        return backups.putKeys(requester.domain(), requester.userId(), version(version), rooms);
    }

    @PutMapping(BASE + "/keys/{roomId}/{sessionId}")
    ObjectNode putSession(Requester requester, @PathVariable String roomId, @PathVariable String sessionId,
            @RequestParam(required = false) String version, @RequestBody JsonNode body) {
        MatrixIds.requireRoomId(roomId);
        ObjectNode rooms = F.objectNode();
        rooms.putObject(roomId).putObject("sessions").set(sessionId, object(body));
        return backups.putKeys(requester.domain(), requester.userId(), version(version), rooms);
    }

    @GetMapping(BASE + "/keys")
    ObjectNode getAll(Requester requester, @RequestParam(required = false) String version) {
        return backups.getKeys(requester.domain(), requester.userId(), version(version), null, null);
    }

    @GetMapping(BASE + "/keys/{roomId}")
    JsonNode getRoom(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String version) {
        MatrixIds.requireRoomId(roomId);
        JsonNode room = backups.getKeys(requester.domain(), requester.userId(), version(version), roomId, null).path("rooms").path(roomId);
        return room.isObject() ? room : F.objectNode().set("sessions", F.objectNode());
    }

    @GetMapping(BASE + "/keys/{roomId}/{sessionId}")
    JsonNode getSession(Requester requester, @PathVariable String roomId, @PathVariable String sessionId,
            @RequestParam(required = false) String version) {
        MatrixIds.requireRoomId(roomId);
        JsonNode session = backups.getKeys(requester.domain(), requester.userId(), version(version), roomId, sessionId)
                .path("rooms").path(roomId).path("sessions").path(sessionId);
        if (!session.isObject()) {
            throw MatrixException.notFound("No key found for this session");
        }
        return session;
    }

    @DeleteMapping(BASE + "/keys")
    ObjectNode deleteAll(Requester requester, @RequestParam(required = false) String version) {
        return backups.deleteKeys(requester.domain(), requester.userId(), version(version), null, null);
    }

    @DeleteMapping(BASE + "/keys/{roomId}")
    ObjectNode deleteRoom(Requester requester, @PathVariable String roomId, @RequestParam(required = false) String version) {
        MatrixIds.requireRoomId(roomId);
        return backups.deleteKeys(requester.domain(), requester.userId(), version(version), roomId, null);
    }

    @DeleteMapping(BASE + "/keys/{roomId}/{sessionId}")
    ObjectNode deleteSession(Requester requester, @PathVariable String roomId, @PathVariable String sessionId,
            @RequestParam(required = false) String version) {
        MatrixIds.requireRoomId(roomId);
        return backups.deleteKeys(requester.domain(), requester.userId(), version(version), roomId, sessionId);
    }
}
