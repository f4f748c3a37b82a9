package de.tim.homeserver.pushrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What push rules are evaluated against for one recipient.
 *
 * @param event       the event (client format: {@code type}, {@code content}, {@code sender}, {@code state_key}, …)
 * @param userId      the recipient
 * @param displayName the recipient's display name in the room (null if none)
 * @param memberCount the room's joined member count
 * @param powerLevels content of the room's {@code m.room.power_levels} (null if the room has none)
 * @param roomCreator the room's creator (full power without a power levels event)
 */
public record PushContext(ObjectNode event, String userId, String displayName, long memberCount, JsonNode powerLevels,
        String roomCreator) {

    String sender() {
        return event.path("sender").asText(null);
    }

    String roomId() {
        return event.path("room_id").asText(null);
    }

    /** The sender's power level ("m.room.power_levels": users, users_default; the creator has 100 without the event). */
    long senderPowerLevel() {
        String sender = sender();
        if (powerLevels == null || !powerLevels.isObject()) {
            return sender != null && sender.equals(roomCreator) ? 100 : 0;
        }
        JsonNode level = powerLevels.path("users").path(sender == null ? "" : sender);
        if (level.isIntegralNumber()) {
            return level.longValue();
        }
        JsonNode usersDefault = powerLevels.path("users_default");
        return usersDefault.isIntegralNumber() ? usersDefault.longValue() : 0;
    }

    /** The level needed for a notification type ("notifications" of the power levels; {@code room} defaults to 50). */
    long notificationLevel(String key) {
        JsonNode level = powerLevels == null ? null : powerLevels.path("notifications").path(key);
        if (level != null && level.isIntegralNumber()) {
            return level.longValue();
        }
        return 50;
    }
}
