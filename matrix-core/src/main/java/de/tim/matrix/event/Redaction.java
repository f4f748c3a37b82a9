package de.tim.matrix.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/** The redaction algorithm per room version (fragments {@code v9-redactions} and {@code v11-redactions}). */
public final class Redaction {

    private static final Set<String> TOP_LEVEL_V9 = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "prev_state", "auth_events", "origin",
            "origin_server_ts", "membership");
    private static final Set<String> TOP_LEVEL_V11 = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "auth_events", "origin_server_ts");

    private static final Map<String, Set<String>> CONTENT_V9 = Map.of(
            EventTypes.MEMBER, Set.of("membership", "join_authorised_via_users_server"),
            EventTypes.CREATE, Set.of("creator"),
            EventTypes.JOIN_RULES, Set.of("join_rule", "allow"),
            EventTypes.POWER_LEVELS, Set.of("ban", "events", "events_default", "kick", "redact", "state_default",
                    "users", "users_default"),
            EventTypes.HISTORY_VISIBILITY, Set.of("history_visibility"));
    private static final Map<String, Set<String>> CONTENT_V11 = Map.of(
            EventTypes.MEMBER, Set.of("membership", "join_authorised_via_users_server"),
            EventTypes.JOIN_RULES, Set.of("join_rule", "allow"),
            EventTypes.POWER_LEVELS, Set.of("ban", "events", "events_default", "invite", "kick", "redact",
                    "state_default", "users", "users_default"),
            EventTypes.HISTORY_VISIBILITY, Set.of("history_visibility"),
            EventTypes.REDACTION, Set.of("redacts"));

    private Redaction() {
    }

    /** Returns the redacted copy of an event; the input is not modified. */
    public static ObjectNode redact(ObjectNode event, RoomVersion version) {
        boolean v11 = version.v11Redactions();
        Set<String> keep = v11 ? TOP_LEVEL_V11 : TOP_LEVEL_V9;
        ObjectNode redacted = JsonNodeFactory.instance.objectNode();
        event.properties().forEach(e -> {
            if (keep.contains(e.getKey())) {
                redacted.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        JsonNode type = event.get("type");
        JsonNode content = event.get("content");
        if (content != null && content.isObject()) {
            redacted.set("content", redactContent(type != null && type.isTextual() ? type.textValue() : "",
                    (ObjectNode) content, v11));
        }
        return redacted;
    }

    private static ObjectNode redactContent(String type, ObjectNode content, boolean v11) {
        if (v11 && EventTypes.CREATE.equals(type)) {
            return content.deepCopy();
        }
        Set<String> keep = (v11 ? CONTENT_V11 : CONTENT_V9).getOrDefault(type, Set.of());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        content.properties().forEach(e -> {
            if (keep.contains(e.getKey())) {
                result.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        if (v11 && EventTypes.MEMBER.equals(type)) {
            JsonNode signed = content.path("third_party_invite").get("signed");
            if (signed != null) {
                result.putObject("third_party_invite").set("signed", signed.deepCopy());
            }
        }
        return result;
    }
}
