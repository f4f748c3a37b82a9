package de.tim.homeserver.device;

/** A device (login session) of a user. */
public record Device(String userId, String deviceId, String displayName, String lastSeenIp, Long lastSeenTs) {
}
