package de.tim.homeserver.id;

import java.util.regex.Pattern;

import de.tim.matrix.error.MatrixException;

/**
 * The one place where the homeserver parses Matrix identifiers. Once {@code de.tim.matrix.id} from
 * matrix-core is available, these methods delegate to it; callers do not change.
 */
public final class MatrixIds {

    /** Localparts the homeserver itself creates: the historical-compatible "user id grammar" of v1.11. */
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    private static final Pattern SERVER_NAME = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]{2,45}]|[0-9]{1,3}(\\.[0-9]{1,3}){3}|[A-Za-z0-9.\\-]{1,255})(:[0-9]{1,5})?");
    private static final int MAX_ID_LENGTH = 255;

    private MatrixIds() {
    }

    /** A user id split into its parts. */
    public record UserId(String localpart, String serverName) {
        @Override
        public String toString() {
            return "@" + localpart + ":" + serverName;
        }
    }

    /** Parses {@code @localpart:server}, accepting historical localparts; 400 M_INVALID_PARAM otherwise. */
    public static UserId parseUserId(String raw) {
        if (raw == null || raw.length() > MAX_ID_LENGTH || !raw.startsWith("@")) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        int colon = raw.indexOf(':');
        if (colon < 2) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        String localpart = raw.substring(1, colon);
        String server = raw.substring(colon + 1);
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ':') {
                throw MatrixException.invalidParam("Invalid user id");
            }
        }
        if (!isValidServerName(server)) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        return new UserId(localpart, server);
    }

    /** Whether a localpart satisfies the grammar for newly created users. */
    public static boolean isValidNewLocalpart(String localpart, String serverName) {
        return localpart != null && !localpart.isEmpty() && LOCALPART.matcher(localpart).matches()
                && localpart.length() + serverName.length() + 2 <= MAX_ID_LENGTH;
    }

    public static boolean isValidServerName(String serverName) {
        return serverName != null && !serverName.isEmpty() && SERVER_NAME.matcher(serverName).matches();
    }

    /** Validates a room id's shape ({@code !opaque:server}); 400 M_INVALID_PARAM otherwise. */
    public static String requireRoomId(String raw) {
        if (raw == null || raw.length() > MAX_ID_LENGTH || !raw.startsWith("!") || raw.indexOf(':') < 2
                || !isValidServerName(raw.substring(raw.indexOf(':') + 1))) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        return raw;
    }
}
