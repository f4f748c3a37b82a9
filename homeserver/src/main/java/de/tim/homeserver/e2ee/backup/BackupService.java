package de.tim.homeserver.e2ee.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Server-side key backups ("Server-side key backups"): versions with algorithm and auth data, and the
 * encrypted session keys of the current version. A session key is replaced only by a better one
 * (verified beats unverified, then lower {@code first_message_index}, then lower {@code forwarded_count}).
 */
@Service
public class BackupService {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_SESSIONS_PER_REQUEST = 10_000;

    private final BackupRepository repository;

    BackupService(BackupRepository repository) {
        this.repository = repository;
    }

    public String createVersion(Domain domain, String userId, JsonNode body) {
        String algorithm = requireText(body, "algorithm");
        String authData = JsonText.write(requireObject(body, "auth_data"));
        for (int attempt = 0; attempt < 10; attempt++) {
            long version = repository.maxVersion(domain.database(), userId) + 1;
            if (repository.insertVersion(domain.database(), userId, version, algorithm, authData)) {
                return Long.toString(version);
            }
        }
        throw MatrixException.unknown(500, "Could not allocate a backup version");
    }

    /** The version's info; {@code version} null = the current one. */
    public ObjectNode versionInfo(Domain domain, String userId, String version) {
        Document doc = version == null ? repository.current(domain.database(), userId) : existing(domain, userId, version);
        if (doc == null) {
            throw MatrixException.notFound(version == null ? "No current backup version" : "Unknown backup version");
        }
        long v = doc.getLong("version");
        ObjectNode info = F.objectNode().put("algorithm", doc.getString("algorithm"));
        info.set("auth_data", JsonText.readObject(doc.getString("auth_data")));
        info.put("count", repository.count(domain.database(), userId, v));
        info.put("etag", Long.toString(doc.getLong("etag")));
        info.put("version", Long.toString(v));
        return info;
    }

    public void updateVersion(Domain domain, String userId, String version, JsonNode body) {
        Document doc = existing(domain, userId, version);
        if (doc == null) {
            throw MatrixException.notFound("Unknown backup version");
        }
        String algorithm = requireText(body, "algorithm");
        ObjectNode authData = requireObject(body, "auth_data");
        JsonNode bodyVersion = body.get("version");
        if (bodyVersion != null && !bodyVersion.isNull() && !(bodyVersion.isTextual() && bodyVersion.textValue().equals(version))) {
            throw MatrixException.invalidParam("version must match the path");
        }
        if (!algorithm.equals(doc.getString("algorithm"))) {
            throw MatrixException.invalidParam("algorithm cannot be changed");
        }
        repository.updateAuthData(domain.database(), userId, doc.getLong("version"), JsonText.write(authData));
    }

    /** Deletes the version and its keys; a version deleted before succeeds again, an unknown one is 404. */
    public void deleteVersion(Domain domain, String userId, String version) {
        Long v = parse(version);
        Document doc = v == null ? null : repository.find(domain.database(), userId, v);
        if (doc == null) {
            throw MatrixException.notFound("Unknown backup version");
        }
        repository.markDeleted(domain.database(), userId, v);
        repository.deleteKeys(domain.database(), userId, v, null, null);
    }

    /** {@code PUT /room_keys/keys...}: {@code rooms} maps room ids to {@code {"sessions": {id: KeyBackupData}}}. */
    public ObjectNode putKeys(Domain domain, String userId, String version, JsonNode rooms) {
        long v = requireCurrent(domain, userId, version);
        if (!rooms.isObject()) {
            throw MatrixException.badJson("rooms must be an object");
        }
        List<Document> incoming = new ArrayList<>();
        for (Map.Entry<String, JsonNode> room : rooms.properties()) {
            MatrixIds.requireRoomId(room.getKey());
            JsonNode sessions = room.getValue().path("sessions");
            if (!sessions.isObject()) {
                throw MatrixException.badJson("sessions must be an object");
            }
            for (Map.Entry<String, JsonNode> session : sessions.properties()) {
                incoming.add(keyDocument(userId, v, room.getKey(), session.getKey(), session.getValue()));
                if (incoming.size() > MAX_SESSIONS_PER_REQUEST) {
                    throw MatrixException.invalidParam("Too many sessions");
                }
            }
        }
        boolean changed = false;
        for (Document key : incoming) {
            changed |= store(domain, key);
        }
        if (changed) {
            repository.bumpEtag(domain.database(), userId, v);
        }
        return etagAndCount(domain, userId, v);
    }

    private boolean store(Domain domain, Document key) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Document existing = repository.key(domain.database(), key.getString("user_id"), key.getLong("version"),
                    key.getString("room_id"), key.getString("session_id"));
            if (existing == null) {
                if (repository.insertKey(domain.database(), key)) {
                    return true;
                }
                continue;
            }
            if (!better(key, existing)) {
                return false;
            }
            if (repository.replaceKey(domain.database(), existing, new Document(key))) {
                return true;
            }
        }
        return false;
    }

    /** The spec's rule: verified beats unverified, then lower first_message_index, then lower forwarded_count. */
    static boolean better(Document candidate, Document existing) {
        boolean cv = candidate.getBoolean("is_verified");
        boolean ev = existing.getBoolean("is_verified");
        if (cv != ev) {
            return cv;
        }
        long cf = candidate.getLong("first_message_index");
        long ef = existing.getLong("first_message_index");
        if (cf != ef) {
            return cf < ef;
        }
        return candidate.getLong("forwarded_count") < existing.getLong("forwarded_count");
    }

    private static Document keyDocument(String userId, long version, String roomId, String sessionId, JsonNode data) {
        if (!data.isObject()) {
            throw MatrixException.badJson("Key backup data must be an object");
        }
        JsonNode first = data.get("first_message_index");
        JsonNode forwarded = data.get("forwarded_count");
        JsonNode verified = data.get("is_verified");
        JsonNode sessionData = data.get("session_data");
        if (first == null || !first.canConvertToLong() || !first.isIntegralNumber() || first.longValue() < 0
                || forwarded == null || !forwarded.isIntegralNumber() || forwarded.longValue() < 0
                || verified == null || !verified.isBoolean() || sessionData == null || !sessionData.isObject()) {
            throw MatrixException.badJson("Key backup data needs first_message_index, forwarded_count (integers), "
                    + "is_verified (boolean) and session_data (object)");
        }
        return new Document("user_id", userId).append("version", version).append("room_id", roomId).append("session_id", sessionId)
                .append("first_message_index", first.longValue()).append("forwarded_count", forwarded.longValue())
                .append("is_verified", verified.booleanValue()).append("session_data", JsonText.write(sessionData));
    }

    /** The backed-up keys as {@code {"rooms": {...}}}; unknown version 404. */
    public ObjectNode getKeys(Domain domain, String userId, String version, String roomId, String sessionId) {
        Document doc = existing(domain, userId, version);
        if (doc == null) {
            throw MatrixException.notFound("Unknown backup version");
        }
        ObjectNode rooms = F.objectNode();
        for (Document k : repository.keys(domain.database(), userId, doc.getLong("version"), roomId, sessionId)) {
            JsonNode room = rooms.get(k.getString("room_id"));
            ObjectNode sessions = room == null ? rooms.putObject(k.getString("room_id")).putObject("sessions")
                    : (ObjectNode) room.get("sessions");
            ObjectNode data = sessions.putObject(k.getString("session_id"));
            data.put("first_message_index", k.getLong("first_message_index"));
            data.put("forwarded_count", k.getLong("forwarded_count"));
            data.put("is_verified", k.getBoolean("is_verified"));
            data.set("session_data", JsonText.readObject(k.getString("session_data")));
        }
        return F.objectNode().set("rooms", rooms);
    }

    public ObjectNode deleteKeys(Domain domain, String userId, String version, String roomId, String sessionId) {
        Document doc = existing(domain, userId, version);
        if (doc == null) {
            throw MatrixException.notFound("Unknown backup version");
        }
        long v = doc.getLong("version");
        if (repository.deleteKeys(domain.database(), userId, v, roomId, sessionId) > 0) {
            repository.bumpEtag(domain.database(), userId, v);
        }
        return etagAndCount(domain, userId, v);
    }

    private ObjectNode etagAndCount(Domain domain, String userId, long version) {
        Document doc = repository.find(domain.database(), userId, version);
        return F.objectNode().put("etag", Long.toString(doc.getLong("etag"))).put("count", repository.count(domain.database(), userId, version));
    }

    /** The writable version: it must be the current one (403 M_WRONG_ROOM_KEYS_VERSION with {@code current_version} otherwise). */
    private long requireCurrent(Domain domain, String userId, String version) {
        Document current = repository.current(domain.database(), userId);
        if (current == null) {
            throw MatrixException.notFound("Unknown backup version");
        }
        String currentVersion = Long.toString(current.getLong("version"));
        if (!currentVersion.equals(version)) {
            throw new MatrixException(403, "M_WRONG_ROOM_KEYS_VERSION", "Wrong backup version", Map.of("current_version", currentVersion));
        }
        return current.getLong("version");
    }

    private Document existing(Domain domain, String userId, String version) {
        Long v = parse(version);
        Document doc = v == null ? null : repository.find(domain.database(), userId, v);
        return doc == null || doc.getBoolean("deleted", false) ? null : doc;
    }

    private static Long parse(String version) {
        if (version == null || version.isEmpty() || version.length() > 18 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(version);
    }

    private static String requireText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return node.textValue();
    }

    private static ObjectNode requireObject(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        return (ObjectNode) node;
    }


    /** Drops every backup of a deactivated user. */
    public void userDeactivated(Domain domain, String userId) {
        repository.deleteUser(domain.database(), userId);
    }
}
