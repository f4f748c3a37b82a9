package de.tim.homeserver.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.AuthResult;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.json.CanonicalJson;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The joining side of {@code send_join}: makes a room of another server usable here from the state the
 * resident server returned (already verified by the caller: signatures, hashes, auth against their
 * auth events). Write order, each step idempotent so a repeated join completes an interrupted one:
 * the events of the auth chain that are not in the state as outliers (so later auth checks and
 * {@code /event_auth} answers have them); the room document; the state before the join as a snapshot group; each state event (oldest first)
 * with a stream position through the same completion as local events (so it reaches current state and
 * sync); then the join itself on top, as the room's head. A rejoin after every local user left works the
 * same on the existing room: the join (built on the resident's head) becomes the only forward extremity, and
 * current state becomes the resident's state. A first join also records where backfilling the room's earlier
 * history starts ({@link BackfillImport}).
 */
@Component
public class RemoteRoomImport {

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EventPersister persister;
    private final OutlierRepository outliers;

    RemoteRoomImport(RoomRepository rooms, EventRepository events, StateRepository state, EventPersister persister,
            OutlierRepository outliers) {
        this.outliers = outliers;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.persister = persister;
    }

    /**
     * @param stateBefore the room state before the join, verified, ordered by depth
     * @param authChain   the other events of the state's auth chain, verified; stored as outliers
     * @param join        our signed join event
     * @throws MatrixException 403 if the join is not allowed by that state
     */
    public StoredEvent importJoin(Domain domain, List<Pdu> stateBefore, List<Pdu> authChain, Pdu join,
            EventAuthorizer authorizer) {
        MongoDatabase db = domain.database();
        String roomId = join.roomId().value();
        Map<StateKey, Pdu> byKey = new HashMap<>();
        stateBefore.forEach(p -> byKey.put(p.stateTuple().orElseThrow(), p));
        Pdu create = byKey.get(StateKey.CREATE);
        if (create == null) {
            throw MatrixException.unknown(502, "The resident server returned no create event");
        }
        Map<StateKey, Pdu> authState = new HashMap<>();
        for (StateKey key : AuthEventSelection.select(join)) {
            if (byKey.containsKey(key)) {
                authState.put(key, byKey.get(key));
            }
        }
        AuthResult allowed = authorizer.check(join, authState);
        if (!allowed.allowed()) {
            throw MatrixException.forbidden("Join not allowed by the room's state: " + allowed.reason());
        }
        Document existingJoin = events.find(db, join.eventId().value());
        if (existingJoin != null) {
            return StoredEvent.of(existingJoin);
        }
        for (Pdu event : authChain) {
            if (events.find(db, event.eventId().value()) == null) {
                outliers.putOutlier(db, event, null);
            }
        }
        Document known = rooms.find(db, roomId);
        boolean firstJoin = known == null || known.getString("state_group") == null;
        rooms.insert(db, roomId, join.roomVersion().id(), create.sender().value(), false, System.currentTimeMillis());
        if (firstJoin) {
            // the history before the join stays with the other servers until /messages backfills it
            List<Pdu> imported = new java.util.ArrayList<>(stateBefore);
            imported.add(join);
            rooms.setIfAbsent(db, roomId, BackfillImport.FRONTIER, BackfillImport.initialFrontier(imported));
        }
        Map<StateKey, StateEntry> snapshot = new HashMap<>();
        byKey.forEach((k, p) -> snapshot.put(k, EventPersister.entryOf(p)));
        String group = state.createSnapshot(db, roomId, "sg:before:" + join.eventId().value(), snapshot);
        for (Pdu event : stateBefore) {
            if (events.find(db, event.eventId().value()) == null) {
                persister.complete(domain, roomId, intent(event, group, group));
            }
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Document room = rooms.find(db, roomId);
            Document pending = room.get("pending", Document.class);
            if (pending != null) {
                persister.complete(domain, roomId, pending);
                continue;
            }
            Document done = events.find(db, join.eventId().value());
            if (done != null) {
                return StoredEvent.of(done);
            }
            String after = state.createGroup(db, roomId, group, StateKey.member(join.sender().value()),
                    EventPersister.entryOf(join));
            Document intent = intent(join, group, after);
            if (rooms.advanceHead(db, roomId, room.getLong("seq"), join.eventId().value(),
                    Math.max(join.depth(), room.getLong("depth")), after, intent)) {
                StoredEvent stored = persister.complete(domain, roomId, intent);
                // a rejoin: state events known from before may be older than what our stale current state holds
                Map<StateKey, StateEntry> current = state.current(db, roomId);
                snapshot.forEach((key, entry) -> {
                    StateEntry was = current.get(key);
                    if (!key.equals(StateKey.member(join.sender().value())) && (was == null || !was.eventId().equals(entry.eventId()))) {
                        state.setCurrent(db, roomId, key, entry, stored.pos());
                    }
                });
                return stored;
            }
        }
        throw new MatrixException(503, "M_UNKNOWN", "Room is busy, try again");
    }

    private static Document intent(Pdu pdu, String before, String after) {
        return new Document("event_id", pdu.eventId().value()).append("version", pdu.roomVersion().id())
                .append("pdu", CanonicalJson.encodeToString(pdu.json())).append("sg_before", before).append("sg_after", after);
    }
}
