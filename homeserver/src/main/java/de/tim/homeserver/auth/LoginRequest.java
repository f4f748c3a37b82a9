package de.tim.homeserver.auth;

/** Body of {@code POST /login}. */
public record LoginRequest(String type, Identifier identifier, String user, String password, String token,
        String deviceId, String initialDeviceDisplayName, Boolean refreshToken) {

    /** {@code identifier}: only {@code m.id.user} is supported. */
    public record Identifier(String type, String user) {
    }

    @Override
    public String toString() {
        return "LoginRequest[type=" + type + "]";
    }
}
