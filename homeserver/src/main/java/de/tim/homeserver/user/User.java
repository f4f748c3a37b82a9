package de.tim.homeserver.user;

/** A local user account of one domain. */
public record User(String userId, String localpart, String displayname, String avatarUrl, boolean admin,
        boolean deactivated, boolean erased, String userType, long creationTs, boolean hasPassword) {
}
