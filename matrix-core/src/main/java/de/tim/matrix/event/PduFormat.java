package de.tim.matrix.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.InvalidJsonException;
import java.nio.charset.StandardCharsets;

/**
 * The event format of room versions 9–11 ({@code pdu_v4}/{@code pdu_v11}) and the size limits of the
 * C-S spec ("Size limits"). A PDU failing these checks is not a valid event and is dropped.
 */
public final class PduFormat {

    /** Maximum size of a PDU in canonical JSON. */
    public static final int MAX_PDU_BYTES = 65536;
    public static final int MAX_AUTH_EVENTS = 10;
    public static final int MAX_PREV_EVENTS = 20;

    private PduFormat() {
    }

    /** Throws {@link IllegalArgumentException} with the reason when {@code event} is not a valid PDU. */
    public static void validate(ObjectNode event, RoomVersion version) {
        RoomId.parse(requireString(event, "room_id"));
        UserId.parseHistorical(requireString(event, "sender"));
        requireShortString(event, "type");
        if (event.has("state_key")) {
            requireShortString(event, "state_key");
        }
        if (!event.path("content").isObject()) {
            throw new IllegalArgumentException("PDU content must be an object");
        }
        requireInteger(event, "origin_server_ts", 0);
        requireInteger(event, "depth", 0);
        requireEventIds(event, "prev_events", MAX_PREV_EVENTS);
        requireEventIds(event, "auth_events", MAX_AUTH_EVENTS);
        if (!event.path("hashes").path("sha256").isTextual()) {
            throw new IllegalArgumentException("PDU hashes.sha256 must be a string");
        }
        JsonNode signatures = event.path("signatures");
        if (!signatures.isObject()) {
            throw new IllegalArgumentException("PDU signatures must be an object");
        }
        for (JsonNode perServer : signatures) {
            if (!perServer.isObject()) {
                throw new IllegalArgumentException("PDU signatures must map servers to objects");
            }
        }
        if (event.has("unsigned") && !event.get("unsigned").isObject()) {
            throw new IllegalArgumentException("PDU unsigned must be an object");
        }
        if (EventTypes.REDACTION.equals(event.get("type").textValue())) {
            JsonNode redacts = version.redactsInContent() ? event.path("content").get("redacts") : event.get("redacts");
            if (redacts != null) {
                if (!redacts.isTextual()) {
                    throw new IllegalArgumentException("redacts must be an event ID string");
                }
                EventId.parse(redacts.textValue());
            }
        }
        int size;
        try {
            size = CanonicalJson.encode(event).length;
        } catch (InvalidJsonException e) {
            throw new IllegalArgumentException("PDU is not canonical-JSON encodable: " + e.getMessage(), e);
        }
        if (size > MAX_PDU_BYTES) {
            throw new IllegalArgumentException("PDU exceeds " + MAX_PDU_BYTES + " bytes: " + size);
        }
    }

    private static String requireString(ObjectNode event, String field) {
        JsonNode node = event.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("PDU " + field + " must be a string");
        }
        return node.textValue();
    }

    private static void requireShortString(ObjectNode event, String field) {
        if (requireString(event, field).getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("PDU " + field + " exceeds 255 bytes");
        }
    }

    private static void requireInteger(ObjectNode event, String field, long min) {
        JsonNode node = event.get(field);
        if (node == null || !node.isIntegralNumber() || node.asLong() < min
                || node.asLong() > CanonicalJson.MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("PDU " + field + " must be an integer in [" + min + ", 2^53-1]");
        }
    }

    private static void requireEventIds(ObjectNode event, String field, int max) {
        JsonNode node = event.get(field);
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("PDU " + field + " must be an array");
        }
        if (node.size() > max) {
            throw new IllegalArgumentException("PDU " + field + " has more than " + max + " entries");
        }
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw new IllegalArgumentException("PDU " + field + " must contain event ID strings");
            }
            EventId.parse(id.textValue());
        }
    }
}
