package de.tim.matrix.stateres;

import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * State resolution v2 (fragment {@code v2-state-res}), used by room versions 9–11: resolves a set of
 * state maps (the states after each {@code prev_event}) into the state before a new event.
 */
public final class StateResolver {

    private final IterativeAuthChecks iterativeAuthChecks;

    /** @param authorizer the authorization rules; its signature checker serves rule 4.2 */
    public StateResolver(EventAuthorizer authorizer) {
        this.iterativeAuthChecks = new IterativeAuthChecks(authorizer);
    }

    /** Resolves with auth chains computed on the fly from {@code source}. */
    public Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> states, EventSource source) {
        ResolutionEvents events = new ResolutionEvents(source);
        return resolve(version, states, events, new AuthChains(events.asSource()));
    }

    /** Resolves with auth chains from the given provider (e.g. a persisted chain index). */
    public Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> states, EventSource source,
                                          AuthChainProvider authChains) {
        return resolve(version, states, new ResolutionEvents(source), authChains);
    }

    private Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> states,
                                           ResolutionEvents events, AuthChainProvider authChains) {
        if (states.isEmpty()) {
            return Map.of();
        }
        Map<StateKey, EventId> unconflicted = new HashMap<>();
        Set<EventId> conflicted = new LinkedHashSet<>();
        split(states, unconflicted, conflicted);
        if (conflicted.isEmpty()) {
            return unconflicted;
        }
        Set<EventId> fullConflicted = new HashSet<>(conflicted);
        fullConflicted.addAll(authDifference(states, authChains));
        Map<EventId, Pdu> full = new HashMap<>();
        for (EventId id : fullConflicted) {
            events.get(id).ifPresent(e -> full.put(id, e));
        }

        Set<EventId> powerIds = new HashSet<>();
        for (Pdu event : full.values()) {
            if (ResolutionEvents.isPowerEvent(event)) {
                powerIds.add(event.eventId());
                for (EventId ancestor : authChains.authChain(event.eventId())) {
                    if (full.containsKey(ancestor)) {
                        powerIds.add(ancestor);
                    }
                }
            }
        }
        List<Pdu> power = ReverseTopologicalPowerOrdering.sort(select(full, powerIds), events, version);
        Map<StateKey, EventId> partial = iterativeAuthChecks.apply(unconflicted, power, events, version);

        List<Pdu> others = new ArrayList<>();
        full.values().stream().filter(e -> !powerIds.contains(e.eventId())).forEach(others::add);
        Optional<Pdu> resolvedPowerLevels = Optional.ofNullable(partial.get(StateKey.POWER_LEVELS)).flatMap(events::get);
        List<Pdu> ordered = MainlineOrdering.sort(others, resolvedPowerLevels, events);
        Map<StateKey, EventId> resolved = iterativeAuthChecks.apply(partial, ordered, events, version);

        resolved.putAll(unconflicted);
        return resolved;
    }

    /** Splits the states into the unconflicted map and the conflicted set. */
    static void split(List<Map<StateKey, EventId>> states, Map<StateKey, EventId> unconflicted, Set<EventId> conflicted) {
        Set<StateKey> keys = new HashSet<>();
        states.forEach(s -> keys.addAll(s.keySet()));
        for (StateKey key : keys) {
            Set<EventId> values = new LinkedHashSet<>();
            boolean inAll = true;
            for (Map<StateKey, EventId> state : states) {
                EventId value = state.get(key);
                if (value == null) {
                    inAll = false;
                } else {
                    values.add(value);
                }
            }
            if (inAll && values.size() == 1) {
                unconflicted.put(key, values.iterator().next());
            } else {
                conflicted.addAll(values);
            }
        }
    }

    /** The union of the states' full auth chains minus their intersection. */
    static Set<EventId> authDifference(List<Map<StateKey, EventId>> states, AuthChainProvider authChains) {
        List<Set<EventId>> chains = new ArrayList<>();
        for (Map<StateKey, EventId> state : states) {
            Set<EventId> chain = new HashSet<>();
            for (EventId id : state.values()) {
                chain.addAll(authChains.authChain(id));
            }
            chains.add(chain);
        }
        Set<EventId> union = new HashSet<>();
        chains.forEach(union::addAll);
        Set<EventId> intersection = new HashSet<>(chains.get(0));
        chains.forEach(intersection::retainAll);
        union.removeAll(intersection);
        return union;
    }

    private static Collection<Pdu> select(Map<EventId, Pdu> events, Set<EventId> ids) {
        return ids.stream().map(events::get).toList();
    }

    /** Convenience: state maps of events rather than IDs. */
    public static Map<StateKey, EventId> ids(Map<StateKey, Pdu> state) {
        Map<StateKey, EventId> ids = new HashMap<>();
        state.forEach((k, v) -> ids.put(k, v.eventId()));
        return ids;
    }
}
