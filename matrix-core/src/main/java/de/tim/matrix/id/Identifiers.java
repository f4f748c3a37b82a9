package de.tim.matrix.id;

import java.nio.charset.StandardCharsets;

/** Shared checks for sigil-prefixed identifiers ({@code &localpart:domain}). */
final class Identifiers {

    static final int MAX_BYTES = 255;

    private Identifiers() {
    }

    /** Checks sigil and length; returns the index of the ':' that separates localpart and domain. */
    static int split(String value, char sigil, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (value.charAt(0) != sigil) {
            throw new IllegalArgumentException(what + " must start with '" + sigil + "': " + value);
        }
        checkLength(value, what);
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(what + " has no ':domain' part: " + value);
        }
        if (colon == 1) {
            throw new IllegalArgumentException(what + " has an empty localpart: " + value);
        }
        return colon;
    }

    static void checkLength(String value, String what) {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException(what + " exceeds " + MAX_BYTES + " bytes");
        }
    }

    static ServerName domain(String value, int colon, String what) {
        try {
            return ServerName.parse(value.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " has an invalid domain: " + e.getMessage(), e);
        }
    }
}
