package de.tim.homeserver.room;

import de.tim.matrix.error.MatrixException;

/**
 * A {@code /sync} {@code next_batch}/{@code since} token: the positions of every stream the response
 * covered, {@code s<events>_<account_data>_<presence>_<to_device>_<device_lists>_<receipts>_<typing>}.
 * Missing trailing components count as 0, so streams can be appended (the E2EE capability fills
 * {@code to_device} and {@code device_lists}).
 */
public record SyncToken(long events, long accountData, long presence, long toDevice, long deviceLists, long receipts,
        long typing) {

    public static final SyncToken ZERO = new SyncToken(0, 0, 0, 0, 0, 0, 0);

    public static SyncToken parse(String token) {
        if (token == null || !token.startsWith("s")) {
            throw MatrixException.invalidParam("Invalid since token");
        }
        String[] parts = token.substring(1).split("_", -1);
        long[] v = new long[7];
        try {
            for (int i = 0; i < parts.length && i < v.length; i++) {
                v[i] = Long.parseLong(parts[i]);
                if (v[i] < 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid since token");
        }
        return new SyncToken(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    public String format() {
        return "s" + events + "_" + accountData + "_" + presence + "_" + toDevice + "_" + deviceLists + "_" + receipts + "_" + typing;
    }
}
