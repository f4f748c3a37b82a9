package de.tim.homeserver.filter;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.error.MatrixException;

/** Validates a filter against the spec's {@code Filter} schema (types of every known field); 400 M_BAD_JSON. */
final class FilterValidator {

    private static final Set<String> STRING_ARRAYS_EVENT = Set.of("not_senders", "not_types", "senders", "types");
    private static final Set<String> STRING_ARRAYS_ROOM_EVENT = Set.of("not_senders", "not_types", "senders", "types",
            "not_rooms", "rooms");
    private static final Set<String> BOOLEANS_ROOM_EVENT = Set.of("lazy_load_members", "include_redundant_members",
            "contains_url", "unread_thread_notifications");

    private FilterValidator() {
    }

    static void validate(JsonNode filter) {
        requireObject(filter, "filter");
        JsonNode eventFields = filter.get("event_fields");
        if (eventFields != null) {
            requireStringArray(eventFields, "event_fields");
        }
        JsonNode format = filter.get("event_format");
        if (format != null && !(format.isTextual() && (format.asText().equals("client") || format.asText().equals("federation")))) {
            throw MatrixException.badJson("event_format must be 'client' or 'federation'");
        }
        eventFilter(filter.get("presence"), "presence");
        eventFilter(filter.get("account_data"), "account_data");
        JsonNode room = filter.get("room");
        if (room != null) {
            requireObject(room, "room");
            for (String field : new String[] {"rooms", "not_rooms"}) {
                if (room.has(field)) {
                    requireStringArray(room.get(field), "room." + field);
                }
            }
            if (room.has("include_leave") && !room.get("include_leave").isBoolean()) {
                throw MatrixException.badJson("room.include_leave must be a boolean");
            }
            for (String field : new String[] {"ephemeral", "state", "timeline", "account_data"}) {
                roomEventFilter(room.get(field), "room." + field);
            }
        }
    }

    private static void eventFilter(JsonNode node, String name) {
        if (node == null) {
            return;
        }
        requireObject(node, name);
        common(node, name, STRING_ARRAYS_EVENT);
    }

    private static void roomEventFilter(JsonNode node, String name) {
        if (node == null) {
            return;
        }
        requireObject(node, name);
        common(node, name, STRING_ARRAYS_ROOM_EVENT);
        for (String field : BOOLEANS_ROOM_EVENT) {
            if (node.has(field) && !node.get(field).isBoolean()) {
                throw MatrixException.badJson(name + "." + field + " must be a boolean");
            }
        }
    }

    private static void common(JsonNode node, String name, Set<String> stringArrays) {
        JsonNode limit = node.get("limit");
        if (limit != null && !(limit.isIntegralNumber() && limit.asLong() >= 1)) {
            throw MatrixException.badJson(name + ".limit must be a positive integer");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (stringArrays.contains(field.getKey())) {
                requireStringArray(field.getValue(), name + "." + field.getKey());
            }
        }
    }

    private static void requireObject(JsonNode node, String name) {
        if (!node.isObject()) {
            throw MatrixException.badJson(name + " must be an object");
        }
    }

    private static void requireStringArray(JsonNode node, String name) {
        if (!node.isArray()) {
            throw MatrixException.badJson(name + " must be an array of strings");
        }
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw MatrixException.badJson(name + " must be an array of strings");
            }
        }
    }
}
