package de.tim.matrix.stateres;

import de.tim.matrix.id.EventId;
import java.util.Set;

/**
 * The auth chain of an event: every event reachable through {@code auth_events}, not including the
 * event itself. A homeserver may back this by a persisted chain index; {@link AuthChains} computes it
 * with memoisation.
 */
@FunctionalInterface
public interface AuthChainProvider {

    Set<EventId> authChain(EventId event);
}
