package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.UserId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Auth rule 9: {@code m.room.power_levels} events, including integer-only values from v10. */
final class PowerLevelsRules {

    private static final List<String> TOP_LEVEL = List.of("users_default", "events_default", "state_default", "ban",
            "redact", "kick", "invite");

    private PowerLevelsRules() {
    }

    static AuthResult check(Pdu event, AuthState state) {
        RoomVersion version = state.version();
        JsonNode content = event.content();
        if (version.integerPowerLevels()) {
            for (String key : TOP_LEVEL) {
                if (content.has(key) && !content.get(key).isIntegralNumber()) {
                    return AuthResult.reject("9.1: " + key + " is not an integer");
                }
            }
            for (String map : List.of("events", "notifications")) {
                if (content.has(map) && !isMapOfLevels(content.get(map), version)) {
                    return AuthResult.reject("9.2: " + map + " is not an object of integers");
                }
            }
        }
        if (content.has("users")) {
            JsonNode users = content.get("users");
            if (!isMapOfLevels(users, version)) {
                return AuthResult.reject("9.3: users is not an object of integer levels");
            }
            for (var entry : users.properties()) {
                if (!UserId.isValid(entry.getKey())) {
                    return AuthResult.reject("9.3: users contains an invalid user ID");
                }
            }
        }
        Optional<Pdu> previous = state.get(StateKey.POWER_LEVELS);
        if (previous.isEmpty()) {
            return AuthResult.allow("9.4: first power levels event");
        }
        PowerLevels current = PowerLevels.of(previous.get().content(), version);
        PowerLevels next = PowerLevels.of(content, version);
        String sender = event.sender().value();
        long senderLevel = current.userLevel(sender);
        for (String key : TOP_LEVEL) {
            Optional<Long> oldValue = current.topLevel(key);
            Optional<Long> newValue = next.topLevel(key);
            if (!oldValue.equals(newValue)) {
                if (oldValue.filter(v -> v > senderLevel).isPresent()) {
                    return AuthResult.reject("9.5.1: current " + key + " is above the sender's level");
                }
                if (newValue.filter(v -> v > senderLevel).isPresent()) {
                    return AuthResult.reject("9.5.2: new " + key + " is above the sender's level");
                }
            }
        }
        for (String map : List.of("events", "notifications")) {
            AuthResult r = checkMap(current.entries(map), next.entries(map), senderLevel, null, map);
            if (r != null) {
                return r;
            }
        }
        AuthResult users = checkMap(current.entries("users"), next.entries("users"), senderLevel, sender, "users");
        return users != null ? users : AuthResult.allow("9.10: power levels change allowed");
    }

    /**
     * Rules 9.6/9.7 (events, notifications; {@code self == null}) and 9.8/9.9 (users): removed or changed
     * entries are checked on their current value, added or changed ones on their new value.
     */
    private static AuthResult checkMap(Map<String, Long> old, Map<String, Long> now, long senderLevel, String self,
                                       String name) {
        Set<String> keys = new HashSet<>(old.keySet());
        keys.addAll(now.keySet());
        for (String key : keys) {
            Long oldValue = old.get(key);
            Long newValue = now.get(key);
            if (Objects.equals(oldValue, newValue)) {
                continue;
            }
            if (oldValue != null) {
                if (self == null && oldValue > senderLevel) {
                    return AuthResult.reject("9.6: current " + name + " level of " + key + " is above the sender's");
                }
                if (self != null && !key.equals(self) && oldValue >= senderLevel) {
                    return AuthResult.reject("9.8: cannot change a user at or above the sender's level");
                }
            }
            if (newValue != null && newValue > senderLevel) {
                return AuthResult.reject((self == null ? "9.7: new " : "9.9: new ") + name + " level of " + key
                        + " is above the sender's");
            }
        }
        return null;
    }

    private static boolean isMapOfLevels(JsonNode node, RoomVersion version) {
        if (!node.isObject()) {
            return false;
        }
        for (var entry : node.properties()) {
            if (!PowerLevelValue.isValid(entry.getValue(), version)) {
                return false;
            }
        }
        return true;
    }
}
