package de.tim.homeserver.room;

import de.tim.homeserver.domain.Domain;

/**
 * Fetches a room's history from before this server joined it from other servers in the room (implemented by
 * the federation capability); {@link TimelineReader} asks for it when {@code /messages} reaches the oldest
 * event stored here.
 */
public interface RemoteHistory {

    /**
     * Fetches older events of the room (about {@code wanted}) and stores them ({@link BackfillImport}).
     *
     * @return whether events were added
     */
    boolean fetchOlder(Domain domain, String roomId, int wanted);
}
