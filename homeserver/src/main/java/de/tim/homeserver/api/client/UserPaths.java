package de.tim.homeserver.api.client;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;

/** Checks on {@code {userId}} path segments of the client API. */
public final class UserPaths {

    private UserPaths() {
    }

    /** The path's user id must be the requester's own (403 M_FORBIDDEN otherwise). */
    public static String requireSelf(Requester requester, String userId) {
        MatrixIds.parseUserId(userId);
        if (!userId.equals(requester.userId())) {
            throw MatrixException.forbidden("Cannot access data of other users");
        }
        return userId;
    }
}
