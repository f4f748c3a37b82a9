package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.AuthResult;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.EventId;
import org.springframework.stereotype.Component;

/**
 * Stores events fetched from other servers outside the timeline (auth events of a received PDU, state
 * fetched to close a gap): each must already have passed format, signature and hash checks; here it is
 * checked against its own auth events, in topological order of the auth events (an event only after all
 * of its auth events are known), and stored as an outlier, or as rejected when the auth rules refuse it.
 * Events whose auth events are neither known here nor among the candidates cannot be checked and are
 * left out.
 */
@Component
public class OutlierImport {

    private final EventGraph graph;
    private final OutlierRepository outliers;

    OutlierImport(EventGraph graph, OutlierRepository outliers) {
        this.graph = graph;
        this.outliers = outliers;
    }

    /** What became of the candidates. */
    public record Imported(Set<String> stored, Set<String> rejected, Set<String> unverifiable) {
    }

    /** The ids among {@code eventIds} that this server does not know at all (neither timeline nor outlier). */
    public Set<String> unknown(Domain domain, Collection<String> eventIds) {
        Set<String> unknown = new LinkedHashSet<>();
        for (String id : eventIds) {
            if (graph.find(domain.database(), id) == null) {
                unknown.add(id);
            }
        }
        return unknown;
    }

    /** Checks and stores the candidates of room {@code roomId}. */
    public Imported importEvents(Domain domain, String roomId, Collection<Pdu> candidates, EventAuthorizer authorizer) {
        return importEvents(domain, roomId, candidates, authorizer, Map.of());
    }

    /** As above; {@code stateAfter} records the state after some candidates (event id → state group), may be empty. */
    Imported importEvents(Domain domain, String roomId, Collection<Pdu> candidates, EventAuthorizer authorizer,
            Map<String, String> stateAfter) {
        MongoDatabase db = domain.database();
        Map<String, Pdu> pending = new HashMap<>();
        for (Pdu pdu : candidates) {
            String id = pdu.eventId().value();
            if (roomId.equals(pdu.roomId().value()) && graph.find(db, id) == null) {
                pending.put(id, pdu);
            }
        }
        Set<String> stored = new LinkedHashSet<>();
        Set<String> rejected = new LinkedHashSet<>();
        Map<String, Pdu> accepted = new HashMap<>();
        List<Pdu> order = new ArrayList<>(pending.values());
        order.sort(Comparator.comparingLong(Pdu::depth)); // a hint only: the loop below waits for auth events
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (Pdu pdu : order) {
                String id = pdu.eventId().value();
                if (!pending.containsKey(id)) {
                    continue;
                }
                List<Pdu> authEvents = new ArrayList<>();
                boolean ready = true;
                for (EventId authId : pdu.authEvents()) {
                    Pdu auth = accepted.get(authId.value());
                    if (auth == null && !rejected.contains(authId.value())) {
                        if (pending.containsKey(authId.value())) {
                            ready = false; // decided in a later pass
                            break;
                        }
                        EventGraph.Node node = graph.find(db, authId.value());
                        if (node == null) {
                            ready = false; // unknown everywhere: cannot be checked
                            break;
                        }
                        auth = node.pdu();
                    }
                    if (auth != null) {
                        authEvents.add(auth);
                    }
                }
                if (!ready) {
                    continue;
                }
                pending.remove(id);
                progress = true;
                if (authEvents.size() < pdu.authEvents().size()) {
                    // an auth event was rejected
                    outliers.putDecision(db, pdu, OutlierRepository.REJECTED, "auth events: an auth event was rejected", null, null);
                    rejected.add(id);
                    continue;
                }
                AuthResult result = authorizer.checkAgainstAuthEvents(pdu, authEvents,
                        e -> rejected.contains(e.value()) || graph.isRejected(db, e.value()));
                if (result.allowed()) {
                    outliers.putOutlier(db, pdu, stateAfter.get(id));
                    accepted.put(id, pdu);
                    stored.add(id);
                } else {
                    outliers.putDecision(db, pdu, OutlierRepository.REJECTED, "auth events: " + result.reason(), null, null);
                    rejected.add(id);
                }
            }
        }
        return new Imported(stored, rejected, new HashSet<>(pending.keySet()));
    }
}
