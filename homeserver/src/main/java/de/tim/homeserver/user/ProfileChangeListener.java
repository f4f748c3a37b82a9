package de.tim.homeserver.user;

import de.tim.homeserver.domain.Domain;

/**
 * Called after a user's display name or avatar changed. The room capability implements it to send
 * updated {@code m.room.member} events into the user's joined rooms.
 */
public interface ProfileChangeListener {

    void profileChanged(Domain domain, String userId, String displayname, String avatarUrl);
}
