package de.tim.homeserver.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import org.springframework.stereotype.Component;

/**
 * Closes a gap in a room's graph with state learnt from another server: for a prev event of a received
 * PDU that {@code get_missing_events} could not reach, the resident's state before it ({@code state_ids})
 * becomes a snapshot group, the prev event is stored as an outlier with the state after it, and the PDU can
 * then be authorised on top of it (as on a fork, see {@link RemoteEventPersister}). The state events must be
 * known here already (fetched, verified and stored by {@link OutlierImport}) and not rejected.
 */
@Component
public class PrevStateImport {

    private final EventGraph graph;
    private final StateRepository state;
    private final OutlierImport outliers;
    private final OutlierRepository outlierRepository;

    PrevStateImport(EventGraph graph, StateRepository state, OutlierImport outliers, OutlierRepository outlierRepository) {
        this.graph = graph;
        this.state = state;
        this.outliers = outliers;
        this.outlierRepository = outlierRepository;
    }

    /**
     * @param prevEvent  the prev event (verified: format, signatures, hashes)
     * @param stateIds   the ids of the room state before it, as the other server named them
     * @return whether the prev event is now known with the state after it
     */
    public boolean importStateAt(Domain domain, Pdu prevEvent, Collection<String> stateIds, EventAuthorizer authorizer) {
        MongoDatabase db = domain.database();
        String roomId = prevEvent.roomId().value();
        EventGraph.Node known = graph.find(db, prevEvent.eventId().value());
        if (known != null && known.stateAfter() != null) {
            return true;
        }
        if (known != null && known.rejected()) {
            return false;
        }
        Map<StateKey, StateEntry> before = new HashMap<>();
        for (String id : stateIds) {
            EventGraph.Node node = graph.find(db, id);
            if (node == null || node.rejected() || !node.pdu().isState() || !roomId.equals(node.pdu().roomId().value())) {
                return false;
            }
            before.put(node.pdu().stateTuple().orElseThrow(), EventPersister.entryOf(node.pdu()));
        }
        if (!before.containsKey(StateKey.CREATE)) {
            return false;
        }
        String groupBefore = state.createSnapshot(db, roomId, "sg:gap:" + prevEvent.eventId().value(), before);
        String groupAfter = prevEvent.isState()
                ? state.createGroup(db, roomId, groupBefore, prevEvent.stateTuple().orElseThrow(), EventPersister.entryOf(prevEvent))
                : groupBefore;
        if (known != null) {
            outlierRepository.putOutlier(db, prevEvent, groupAfter); // known without state: learns it now
            return true;
        }
        OutlierImport.Imported imported = outliers.importEvents(domain, roomId, List.of(prevEvent), authorizer,
                Map.of(prevEvent.eventId().value(), groupAfter));
        return imported.stored().contains(prevEvent.eventId().value());
    }
}
