package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.event.RoomVersion;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The effective levels of a room's {@code m.room.power_levels} state, with the spec's defaults:
 * {@code users_default} 0, {@code events_default} 0, {@code state_default} 50, {@code ban}/{@code kick}/
 * {@code redact} 50, {@code invite} 0, notification {@code room} 50. Without a power levels event the
 * creator has 100 and everybody else 0.
 */
public final class PowerLevels {

    public static final long DEFAULT_BAN = 50;
    public static final long DEFAULT_KICK = 50;
    public static final long DEFAULT_REDACT = 50;
    public static final long DEFAULT_INVITE = 0;
    public static final long DEFAULT_STATE = 50;
    public static final long DEFAULT_EVENTS = 0;
    public static final long DEFAULT_USERS = 0;
    public static final long DEFAULT_NOTIFICATION_ROOM = 50;
    /** The creator's level when the room has no power levels event. */
    public static final long CREATOR_LEVEL = 100;

    private final JsonNode content;
    private final RoomVersion version;
    private final String creator;

    private PowerLevels(JsonNode content, RoomVersion version, String creator) {
        this.content = content;
        this.version = version;
        this.creator = creator;
    }

    /** Levels from the content of an {@code m.room.power_levels} event. */
    public static PowerLevels of(JsonNode content, RoomVersion version) {
        return new PowerLevels(content, version, null);
    }

    /** Levels of a room without a power levels event: {@code creator} has 100, everyone else 0. */
    public static PowerLevels absent(String creator, RoomVersion version) {
        return new PowerLevels(null, version, creator);
    }

    public boolean isExplicit() {
        return content != null;
    }

    private long level(String key, long defaultValue) {
        return content == null ? defaultValue : topLevel(key).orElse(defaultValue);
    }

    /** A top-level value ({@code ban}, {@code users_default}, ...) if present and valid. */
    public Optional<Long> topLevel(String key) {
        return content == null ? Optional.empty() : PowerLevelValue.read(content.get(key), version);
    }

    public long userLevel(String userId) {
        if (content == null) {
            return userId.equals(creator) ? CREATOR_LEVEL : DEFAULT_USERS;
        }
        Optional<Long> explicit = PowerLevelValue.read(content.path("users").get(userId), version);
        return explicit.orElseGet(() -> level("users_default", DEFAULT_USERS));
    }

    /** The level needed to send an event of {@code type}; state events default to {@code state_default}. */
    public long eventLevel(String type, boolean isState) {
        if (content != null) {
            Optional<Long> explicit = PowerLevelValue.read(content.path("events").get(type), version);
            if (explicit.isPresent()) {
                return explicit.get();
            }
        }
        return isState ? level("state_default", DEFAULT_STATE) : level("events_default", DEFAULT_EVENTS);
    }

    public long ban() {
        return level("ban", DEFAULT_BAN);
    }

    public long kick() {
        return level("kick", DEFAULT_KICK);
    }

    public long redact() {
        return level("redact", DEFAULT_REDACT);
    }

    public long invite() {
        return level("invite", DEFAULT_INVITE);
    }

    /** The level for a notification key such as {@code room}. */
    public long notificationLevel(String key) {
        Optional<Long> explicit = content == null ? Optional.empty()
                : PowerLevelValue.read(content.path("notifications").get(key), version);
        return explicit.orElse("room".equals(key) ? DEFAULT_NOTIFICATION_ROOM : DEFAULT_EVENTS);
    }

    /** The valid entries of the {@code users}, {@code events} or {@code notifications} map. */
    public Map<String, Long> entries(String mapName) {
        Map<String, Long> result = new LinkedHashMap<>();
        if (content != null && content.path(mapName).isObject()) {
            content.get(mapName).properties().forEach(e ->
                    PowerLevelValue.read(e.getValue(), version).ifPresent(v -> result.put(e.getKey(), v)));
        }
        return result;
    }
}
