package de.tim.matrix.stateres;

import de.tim.matrix.auth.PowerLevels;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The reverse topological power ordering: Kahn's algorithm over the auth-event DAG restricted to the
 * given events, choosing among the candidates the one whose sender has the greatest power level (from
 * the event's own auth events), then the smallest {@code origin_server_ts}, then the smallest event ID.
 */
final class ReverseTopologicalPowerOrdering {

    private ReverseTopologicalPowerOrdering() {
    }

    static List<Pdu> sort(Collection<Pdu> events, ResolutionEvents lookup, RoomVersion version) {
        Map<EventId, Pdu> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.eventId(), e));
        Map<EventId, Long> senderPower = new HashMap<>();
        Map<EventId, Integer> pendingAuth = new HashMap<>();
        Map<EventId, List<Pdu>> dependants = new HashMap<>();
        for (Pdu event : byId.values()) {
            senderPower.put(event.eventId(), senderPowerLevel(event, lookup, version));
            Set<EventId> parents = new HashSet<>();
            for (EventId auth : event.authEvents()) {
                if (byId.containsKey(auth) && parents.add(auth)) {
                    dependants.computeIfAbsent(auth, k -> new ArrayList<>()).add(event);
                }
            }
            pendingAuth.put(event.eventId(), parents.size());
        }
        Comparator<Pdu> order = Comparator.<Pdu>comparingLong(e -> -senderPower.get(e.eventId()))
                .thenComparingLong(Pdu::originServerTs)
                .thenComparing(Pdu::eventId);
        PriorityQueue<Pdu> ready = new PriorityQueue<>(order);
        byId.values().stream().filter(e -> pendingAuth.get(e.eventId()) == 0).forEach(ready::add);
        List<Pdu> sorted = new ArrayList<>(byId.size());
        while (!ready.isEmpty()) {
            Pdu next = ready.poll();
            sorted.add(next);
            for (Pdu child : dependants.getOrDefault(next.eventId(), List.of())) {
                if (pendingAuth.merge(child.eventId(), -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        return sorted;
    }

    /**
     * The sender's power level according to the event's auth events: the cited power levels event, or
     * without one the creator rule (100 for the creator of the cited create event, 0 otherwise).
     */
    static long senderPowerLevel(Pdu event, ResolutionEvents lookup, RoomVersion version) {
        String sender = event.sender().value();
        Optional<Pdu> powerLevels = lookup.powerLevelsAuthEvent(event);
        if (powerLevels.isPresent()) {
            return PowerLevels.of(powerLevels.get().content(), version).userLevel(sender);
        }
        Optional<Pdu> create = EventTypes.CREATE.equals(event.type()) ? Optional.of(event)
                : lookup.authEventOfKey(event, StateKey.CREATE);
        String creator = create.map(c -> version.createHasCreator()
                ? c.content().path("creator").asText(null) : c.sender().value()).orElse(null);
        return PowerLevels.absent(creator, version).userLevel(sender);
    }
}
