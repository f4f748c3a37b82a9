package de.tim.homeserver.federation.e2ee;

import de.tim.matrix.id.UserId;

/** Checks shared by the inbound EDU handlers. */
final class Edus {

    private Edus() {
    }

    /** Whether {@code userId} is a well-formed user id of {@code server} (EDUs only speak for the origin's users). */
    static boolean isUserOf(String userId, String server) {
        try {
            return UserId.parseHistorical(userId).domain().toString().equals(server);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
