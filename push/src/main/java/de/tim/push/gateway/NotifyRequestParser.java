package de.tim.push.gateway;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.matrix.error.MatrixException;

/**
 * Reads and validates a {@code POST /_matrix/push/v1/notify} body against the Push Gateway API's request schema:
 * a JSON object with a {@code notification} object whose {@code devices} array holds objects with string
 * {@code app_id} and {@code pushkey}; every other field, if present, has the spec's type. Anything else is
 * {@code M_NOT_JSON} (not a JSON object) or {@code M_BAD_JSON} (wrong shape). Messages never echo input values.
 */
public final class NotifyRequestParser {

    private static final List<String> STRING_FIELDS = List.of("event_id", "room_id", "type", "sender",
            "sender_display_name", "room_name", "room_alias");
    private static final Set<String> PRIORITIES = Set.of("high", "low");

    private final ObjectMapper json;

    public NotifyRequestParser(ObjectMapper json) {
        this.json = json;
    }

    public Notification parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (IOException e) {
            throw MatrixException.notJson("Request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw MatrixException.notJson("Request body must be a JSON object");
        }
        JsonNode n = root.get("notification");
        if (n == null || !n.isObject()) {
            throw MatrixException.badJson("notification must be an object");
        }
        for (String field : STRING_FIELDS) {
            requireType(n, field, JsonNode::isTextual, "a string");
        }
        requireType(n, "user_is_target", JsonNode::isBoolean, "a boolean");
        requireType(n, "content", JsonNode::isObject, "an object");
        JsonNode prio = n.get("prio");
        if (present(prio) && !(prio.isTextual() && PRIORITIES.contains(prio.asText()))) {
            throw MatrixException.badJson("notification.prio must be \"high\" or \"low\"");
        }
        JsonNode counts = n.get("counts");
        if (present(counts)) {
            if (!counts.isObject()) {
                throw MatrixException.badJson("notification.counts must be an object");
            }
            requireType(counts, "unread", JsonNode::canConvertToLong, "an integer", JsonNode::isIntegralNumber);
            requireType(counts, "missed_calls", JsonNode::canConvertToLong, "an integer", JsonNode::isIntegralNumber);
        }
        JsonNode devices = n.get("devices");
        if (devices == null || !devices.isArray()) {
            throw MatrixException.badJson("notification.devices must be an array");
        }
        for (JsonNode device : devices) {
            if (!device.isObject()) {
                throw MatrixException.badJson("each device must be an object");
            }
            JsonNode appId = device.get("app_id");
            JsonNode pushkey = device.get("pushkey");
            if (appId == null || !appId.isTextual() || pushkey == null || !pushkey.isTextual()) {
                throw MatrixException.badJson("each device needs string app_id and pushkey");
            }
            requireType(device, "pushkey_ts", JsonNode::canConvertToLong, "an integer", JsonNode::isIntegralNumber);
            requireType(device, "data", JsonNode::isObject, "an object");
            requireType(device, "tweaks", JsonNode::isObject, "an object");
        }
        try {
            return json.treeToValue(n, Notification.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw MatrixException.badJson("notification does not match the Push Gateway API");
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static void requireType(JsonNode parent, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode value = parent.get(field);
        if (present(value) && !ok.test(value)) {
            throw MatrixException.badJson(field + " must be " + what);
        }
    }

    private static void requireType(JsonNode parent, String field, java.util.function.Predicate<JsonNode> ok, String what,
                                    java.util.function.Predicate<JsonNode> also) {
        requireType(parent, field, v -> ok.test(v) && also.test(v), what);
    }
}
