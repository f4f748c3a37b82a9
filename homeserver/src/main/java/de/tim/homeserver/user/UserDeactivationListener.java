package de.tim.homeserver.user;

import de.tim.homeserver.domain.Domain;

/**
 * Called after a user was deactivated (devices and tokens are gone already). The room capability
 * implements it to leave the user's rooms; E2EE to drop keys.
 */
public interface UserDeactivationListener {

    void userDeactivated(Domain domain, String userId, boolean erase);
}
