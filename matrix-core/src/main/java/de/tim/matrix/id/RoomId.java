package de.tim.matrix.id;

import java.security.SecureRandom;
import java.util.Objects;

/** A room ID {@code !opaque_id:domain} (appendix "Room IDs"); case-sensitive, at most 255 bytes. */
public record RoomId(String value, String opaqueId, ServerName domain) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public RoomId {
        Objects.requireNonNull(value, "value");
    }

    public static RoomId parse(String value) {
        int colon = Identifiers.split(value, '!', "Room ID");
        String opaque = value.substring(1, colon);
        return new RoomId(value, opaque, Identifiers.domain(value, colon, "Room ID"));
    }

    public static RoomId of(String opaqueId, ServerName domain) {
        return parse("!" + opaqueId + ":" + domain);
    }

    /** A new room ID with 18 random letters as opaque part. */
    public static RoomId random(ServerName domain) {
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder b = new StringBuilder(18);
        for (int i = 0; i < 18; i++) {
            b.append(letters.charAt(RANDOM.nextInt(letters.length())));
        }
        return of(b.toString(), domain);
    }

    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
