package de.tim.homeserver.id;

import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;

/**
 * The one place where the homeserver's API code parses Matrix identifiers, delegating to
 * {@code de.tim.matrix.id} and translating parse failures into 400 M_INVALID_PARAM.
 */
public final class MatrixIds {

    private MatrixIds() {
    }

    /** Parses {@code @localpart:server}, accepting historical localparts; 400 M_INVALID_PARAM otherwise. */
    public static de.tim.matrix.id.UserId parseUserId(String raw) {
        try {
            return de.tim.matrix.id.UserId.parseHistorical(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw MatrixException.invalidParam("Invalid user id");
        }
    }

    /** Whether a localpart satisfies the current grammar for newly created users of this server. */
    public static boolean isValidNewLocalpart(String localpart, String serverName) {
        if (localpart == null || localpart.isEmpty()) {
            return false;
        }
        try {
            de.tim.matrix.id.UserId.parse("@" + localpart + ":" + serverName);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isValidServerName(String serverName) {
        return serverName != null && ServerName.isValid(serverName);
    }

    /** Validates a room id's shape ({@code !opaque:server}); 400 M_INVALID_PARAM otherwise. */
    public static String requireRoomId(String raw) {
        if (raw == null || !RoomId.isValid(raw)) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        return raw;
    }
}
