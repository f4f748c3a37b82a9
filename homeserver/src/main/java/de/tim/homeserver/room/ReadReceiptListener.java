package de.tim.homeserver.room;

import de.tim.homeserver.domain.Domain;

/**
 * Told after a user stored a read receipt ({@code m.read}, {@code m.read.private}) or read marker
 * ({@code m.fully_read}) for an event of a room, e.g. to mark notifications up to it as read.
 */
public interface ReadReceiptListener {

    void receiptStored(Domain domain, String userId, String roomId, String type, String eventId, String threadId);
}
