package de.tim.homeserver.auth;

import java.util.Map;

/** Response of {@code POST /login} and {@code POST /register}. */
public record LoginResult(String userId, String accessToken, String deviceId, String homeServer, String refreshToken,
        Long expiresInMs, Map<String, Object> wellKnown) {

    @Override
    public String toString() {
        return "LoginResult[" + userId + "/" + deviceId + "]";
    }
}
