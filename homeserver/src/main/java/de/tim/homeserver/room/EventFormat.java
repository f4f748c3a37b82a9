package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.PropertyPath;

/**
 * How a filter wants room events shaped: {@code event_format} ({@code client}: {@code ClientEvent};
 * {@code federation}: the PDU as exchanged between servers, with {@code event_id} and, for redacted
 * events, redacted) and {@code event_fields} (only the listed fields; dotted paths into objects, where
 * {@code \.} is a literal dot and {@code \\} a literal backslash).
 */
public final class EventFormat {

    public static final EventFormat CLIENT = new EventFormat(false, null);

    private final boolean federation;
    private final List<List<String>> fields;

    private EventFormat(boolean federation, List<List<String>> fields) {
        this.federation = federation;
        this.fields = fields;
    }

    /**
     * From a filter object's {@code event_format} and {@code event_fields}.
     *
     * @throws MatrixException 400 M_BAD_JSON for other shapes
     */
    public static EventFormat of(JsonNode filter) {
        if (filter == null || !filter.isObject()) {
            return CLIENT;
        }
        JsonNode format = filter.get("event_format");
        boolean federation = false;
        if (format != null && !format.isNull()) {
            if (!format.isTextual() || !(format.textValue().equals("client") || format.textValue().equals("federation"))) {
                throw MatrixException.badJson("event_format must be 'client' or 'federation'");
            }
            federation = format.textValue().equals("federation");
        }
        JsonNode fieldsNode = filter.get("event_fields");
        List<List<String>> fields = null;
        if (fieldsNode != null && !fieldsNode.isNull()) {
            if (!fieldsNode.isArray()) {
                throw MatrixException.badJson("event_fields must be an array of strings");
            }
            fields = new ArrayList<>();
            for (JsonNode f : fieldsNode) {
                if (!f.isTextual()) {
                    throw MatrixException.badJson("event_fields must be an array of strings");
                }
                fields.add(path(f.textValue()));
            }
        }
        return federation || fields != null ? new EventFormat(federation, fields) : CLIENT;
    }

    /** Splits a field path at unescaped dots (the appendix's dot-separated property paths). */
    static List<String> path(String field) {
        return PropertyPath.parse(field);
    }

    public ObjectNode format(RoomReader reader, Domain domain, StoredEvent event, String userId, String deviceId) {
        ObjectNode shaped;
        if (federation) {
            shaped = (event.redactedBy() != null ? event.pdu().redacted() : event.pdu()).jsonWithEventId();
        } else {
            shaped = ClientEvents.format(reader, domain, event, userId, deviceId);
        }
        return fields == null ? shaped : project(shaped, fields);
    }

    /** Only the fields named by the paths (missing ones are left out). */
    static ObjectNode project(ObjectNode event, List<List<String>> paths) {
        ObjectNode result = event.objectNode();
        for (List<String> path : paths) {
            JsonNode value = event;
            for (String key : path) {
                value = value.isObject() ? value.get(key) : null;
                if (value == null) {
                    break;
                }
            }
            if (value == null) {
                continue;
            }
            ObjectNode target = result;
            for (String key : path.subList(0, path.size() - 1)) {
                JsonNode existing = target.get(key);
                target = existing instanceof ObjectNode o ? o : target.putObject(key);
            }
            target.set(path.get(path.size() - 1), value.deepCopy());
        }
        return result;
    }
}
