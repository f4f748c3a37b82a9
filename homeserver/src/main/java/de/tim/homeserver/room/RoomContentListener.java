package de.tim.homeserver.room;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;

/**
 * Told about the content of a room's events, e.g. by the media capability to know which {@code mxc://}
 * URIs a room references. Both calls must be idempotent: an interrupted append or purge calls them again.
 */
public interface RoomContentListener {

    /**
     * Before an event is stored (local or received over federation), and for every event of a room about
     * to be purged (so events stored before the listener existed are known too).
     */
    void eventStoring(Domain domain, String roomId, JsonNode content);

    /** While a room is purged, before its events and state are deleted. */
    void roomPurging(Domain domain, String roomId);
}
