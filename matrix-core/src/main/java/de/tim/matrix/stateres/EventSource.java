package de.tim.matrix.stateres;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.EventId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where state resolution fetches events (the homeserver backs it with its event store and a cache).
 * Events that are not available are left out of the resolution.
 */
public interface EventSource {

    Optional<Pdu> event(EventId id);

    /** A source over events held in memory (tests, small resolutions). */
    static EventSource of(Collection<Pdu> events) {
        Map<EventId, Pdu> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.eventId(), e));
        return id -> Optional.ofNullable(byId.get(id));
    }

    /** Whether the event was rejected by the auth rules; rejected auth events are not used in iterative auth checks. */
    default boolean isRejected(EventId id) {
        return false;
    }
}
