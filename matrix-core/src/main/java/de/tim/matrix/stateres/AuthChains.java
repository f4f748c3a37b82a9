package de.tim.matrix.stateres;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.EventId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes auth chains by walking {@code auth_events} once per event: each event's chain is built from
 * its auth events' memoised chains (iterative post-order walk, so deep rooms do not overflow the stack).
 * Events missing from the source are treated as having an empty chain. Not thread-safe; use one
 * instance per resolution or guard it externally.
 */
public final class AuthChains implements AuthChainProvider {

    private final EventSource source;
    private final Map<EventId, Set<EventId>> memo = new HashMap<>();

    public AuthChains(EventSource source) {
        this.source = source;
    }

    @Override
    public Set<EventId> authChain(EventId start) {
        Set<EventId> known = memo.get(start);
        if (known != null) {
            return known;
        }
        Deque<EventId> stack = new ArrayDeque<>();
        Set<EventId> onStack = new HashSet<>();
        Map<EventId, Optional<Pdu>> fetched = new HashMap<>();
        stack.push(start);
        onStack.add(start);
        while (!stack.isEmpty()) {
            EventId current = stack.peek();
            Optional<Pdu> event = fetched.computeIfAbsent(current, source::event);
            boolean ready = true;
            if (event.isPresent()) {
                for (EventId parent : event.get().authEvents()) {
                    if (!memo.containsKey(parent) && !onStack.contains(parent)) {
                        stack.push(parent);
                        onStack.add(parent);
                        ready = false;
                    }
                }
            }
            if (ready) {
                stack.pop();
                onStack.remove(current);
                Set<EventId> chain = new HashSet<>();
                event.ifPresent(e -> e.authEvents().forEach(parent -> {
                    chain.add(parent);
                    chain.addAll(memo.getOrDefault(parent, Set.of()));
                }));
                memo.put(current, Set.copyOf(chain));
            }
        }
        return memo.get(start);
    }
}
