package de.tim.matrix.auth;

/** Whether the authorization rules allow an event, and which rule decided. */
public record AuthResult(boolean allowed, String reason) {

    public static AuthResult allow(String reason) {
        return new AuthResult(true, reason);
    }

    public static AuthResult reject(String reason) {
        return new AuthResult(false, reason);
    }
}
