package de.tim.matrix.stateres;

import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.AuthState;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The iterative auth checks: each event is authorized against the state built so far, where keys the
 * rules need but the state lacks come from the event's own (non-rejected) auth events; allowed events
 * replace their state entry, others are ignored.
 */
final class IterativeAuthChecks {

    private final EventAuthorizer authorizer;

    IterativeAuthChecks(EventAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    Map<StateKey, EventId> apply(Map<StateKey, EventId> initial, List<Pdu> events, ResolutionEvents lookup,
                                 RoomVersion version) {
        Map<StateKey, EventId> state = new HashMap<>(initial);
        for (Pdu event : events) {
            Map<StateKey, Pdu> authState = new HashMap<>();
            for (EventId authId : event.authEvents()) {
                if (lookup.isRejected(authId)) {
                    continue;
                }
                lookup.get(authId).ifPresent(auth -> auth.stateTuple().ifPresent(k -> authState.put(k, auth)));
            }
            for (StateKey key : AuthEventSelection.select(event)) {
                EventId current = state.get(key);
                if (current != null && !lookup.isRejected(current)) {
                    Optional<Pdu> currentEvent = lookup.get(current);
                    currentEvent.ifPresent(e -> authState.put(key, e));
                }
            }
            if (authorizer.check(event, new AuthState(authState, version)).allowed()) {
                event.stateTuple().ifPresent(k -> state.put(k, event.eventId()));
            }
        }
        return state;
    }
}
