package de.tim.homeserver.api.client.capabilities;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Room versions offered to clients ({@code m.room_versions} capability).
 *
 * @param supported room versions this server can create and join (default 9, 10, 11)
 * @param defaultVersion version of new rooms (default 10)
 */
@ConfigurationProperties(RoomVersionsProperties.PREFIX)
public record RoomVersionsProperties(List<String> supported, String defaultVersion) {

    public static final String PREFIX = "tim.homeserver.room-versions";

    public RoomVersionsProperties {
        supported = supported == null || supported.isEmpty() ? List.of("9", "10", "11") : List.copyOf(supported);
        defaultVersion = defaultVersion == null ? "10" : defaultVersion;
        if (!supported.contains(defaultVersion)) {
            throw new IllegalArgumentException("default room version " + defaultVersion + " is not supported");
        }
    }
}
