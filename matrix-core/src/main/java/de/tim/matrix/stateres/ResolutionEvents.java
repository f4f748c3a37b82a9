package de.tim.matrix.stateres;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A per-resolution cache in front of an {@link EventSource}, with the event predicates of the algorithm. */
final class ResolutionEvents {

    private final EventSource source;
    private final Map<EventId, Optional<Pdu>> cache = new HashMap<>();

    ResolutionEvents(EventSource source) {
        this.source = source;
    }

    Optional<Pdu> get(EventId id) {
        return cache.computeIfAbsent(id, source::event);
    }

    boolean isRejected(EventId id) {
        return source.isRejected(id);
    }

    EventSource asSource() {
        return new EventSource() {
            @Override
            public Optional<Pdu> event(EventId id) {
                return get(id);
            }

            @Override
            public boolean isRejected(EventId id) {
                return source.isRejected(id);
            }
        };
    }

    /**
     * Power events: power levels, join rules, and kicks/bans ({@code leave}/{@code ban} memberships
     * whose sender is not the target).
     */
    static boolean isPowerEvent(Pdu event) {
        Optional<StateKey> key = event.stateTuple();
        if (key.isEmpty()) {
            return false;
        }
        if (key.get().equals(StateKey.POWER_LEVELS) || key.get().equals(StateKey.JOIN_RULES)) {
            return true;
        }
        if (EventTypes.MEMBER.equals(event.type())) {
            String membership = event.membership().orElse("");
            return (EventTypes.LEAVE.equals(membership) || EventTypes.BAN.equals(membership))
                    && !event.sender().value().equals(key.get().stateKey());
        }
        return false;
    }

    /** The {@code m.room.power_levels} event among an event's auth events, if any. */
    Optional<Pdu> powerLevelsAuthEvent(Pdu event) {
        return authEventOfKey(event, StateKey.POWER_LEVELS);
    }

    Optional<Pdu> authEventOfKey(Pdu event, StateKey key) {
        for (EventId id : event.authEvents()) {
            Optional<Pdu> auth = get(id);
            if (auth.isPresent() && auth.get().stateTuple().filter(key::equals).isPresent()) {
                return auth;
            }
        }
        return Optional.empty();
    }
}
