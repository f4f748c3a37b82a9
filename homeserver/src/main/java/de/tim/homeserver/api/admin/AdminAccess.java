package de.tim.homeserver.api.admin;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Component;

/** Admin checks shared by the admin endpoints: server admin of the request's domain, local target users. */
@Component
class AdminAccess {

    private final UserService users;

    AdminAccess(UserService users) {
        this.users = users;
    }

    void requireAdmin(Requester requester) {
        if (!users.isAdmin(requester.domain(), requester.userId())) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }

    /** Validates that the path's user id is a user id of this domain; 400 otherwise. */
    String localUser(Domain domain, String userId) {
        MatrixIds.parseUserId(userId);
        if (!domain.isLocal(userId)) {
            throw MatrixException.invalidParam("Can only look up local users");
        }
        return userId;
    }
}
