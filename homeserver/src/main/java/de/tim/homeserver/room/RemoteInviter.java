package de.tim.homeserver.room;

import de.tim.homeserver.auth.Requester;

/**
 * Invites of users of other servers, provided by the federation capability: {@link RoomService#invite} (and so
 * {@code /invite} and {@code createRoom}'s {@code invite} list) hands them over. Without a bean they are refused.
 */
public interface RemoteInviter {

    /** Builds, checks and sends the invite over federation; {@code isDirect} marks a direct chat for the invitee. */
    void invite(Requester requester, String roomId, String userId, String reason, boolean isDirect);
}
