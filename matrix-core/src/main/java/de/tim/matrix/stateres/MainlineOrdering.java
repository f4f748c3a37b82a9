package de.tim.matrix.stateres;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.EventId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mainline ordering based on a power levels event P: events whose power-levels ancestry meets the
 * mainline of P earlier (further from P) come first, events that never meet it first of all; ties by
 * {@code origin_server_ts}, then event ID.
 */
final class MainlineOrdering {

    private MainlineOrdering() {
    }

    static List<Pdu> sort(Collection<Pdu> events, Optional<Pdu> powerLevels, ResolutionEvents lookup) {
        Map<EventId, Integer> mainline = new HashMap<>();
        Optional<Pdu> p = powerLevels;
        int index = 0;
        Set<EventId> seen = new HashSet<>();
        while (p.isPresent() && seen.add(p.get().eventId())) {
            mainline.put(p.get().eventId(), index++);
            p = lookup.powerLevelsAuthEvent(p.get());
        }
        Map<EventId, Integer> position = new HashMap<>();
        for (Pdu event : events) {
            position.put(event.eventId(), position(event, mainline, lookup));
        }
        Comparator<Pdu> order = Comparator.<Pdu>comparingInt(e -> -position.get(e.eventId()))
                .thenComparingLong(Pdu::originServerTs)
                .thenComparing(Pdu::eventId);
        List<Pdu> sorted = new ArrayList<>(events);
        sorted.sort(order);
        return sorted;
    }

    /** The index of the first power-levels ancestor (excluding the event itself) on the mainline, or "infinity". */
    private static int position(Pdu event, Map<EventId, Integer> mainline, ResolutionEvents lookup) {
        Set<EventId> seen = new HashSet<>();
        Optional<Pdu> ancestor = lookup.powerLevelsAuthEvent(event);
        while (ancestor.isPresent() && seen.add(ancestor.get().eventId())) {
            Integer i = mainline.get(ancestor.get().eventId());
            if (i != null) {
                return i;
            }
            ancestor = lookup.powerLevelsAuthEvent(ancestor.get());
        }
        return Integer.MAX_VALUE;
    }
}
