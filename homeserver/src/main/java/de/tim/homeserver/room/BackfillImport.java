package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.auth.ReceiptChecks;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.stateres.EventSource;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * History of a room from before this server joined it, learnt from another server ({@code /backfill}).
 *
 * <p>The room's <em>backfill frontier</em> (field {@value #FRONTIER} of the room document) names the events
 * this server has not got yet whose successors it has: set when the server joins a room for the first time
 * (the prev events of the state and the join that {@code send_join} brought), advanced by every imported
 * batch, empty once the room's create event is reached. Only history before the first join is backfilled:
 * gaps later in the timeline (a rejoin, a gap closed with {@code state_ids}) are not, because their events
 * could not be placed at their point of the timeline.
 *
 * <p>A batch (already checked for format, signatures and hashes) is taken oldest first: each event gets the
 * state before it from its prev events (the batch's own, or stored events whose state is known here), or, for
 * the oldest events, from the state the other server named ({@code state_ids}, fetched by the caller); then
 * the auth checks against its auth events and that state (no soft failure: history does not meet the current
 * state). Accepted events are stored with <em>negative</em> positions ({@link StreamPositions#BACKFILL}), oldest
 * lowest, below every event stored before, so {@code /messages} going backwards reaches them after the room's
 * older events, while {@code /sync} (positions above its tokens), the outbox, push and the stream cache never
 * see them. They are written newest first: a crash leaves the newer part, and the rest arrives with lower
 * positions later. Rejected ones are kept as such ({@link OutlierRepository}) and never shown. Events stored
 * before (the state imported with the join) stay where they are; only the state at them is learnt. A redaction
 * applies to its stored target; a stored redaction applies to its backfilled target.
 */
@Component
public class BackfillImport {

    static final String FRONTIER = "backfill_frontier";
    static final String RETRY_AT = "backfill_retry_at";
    private static final int MAX_FRONTIER = 50;

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EventGraph graph;
    private final OutlierRepository outliers;
    private final EventPersister persister;
    private final StreamPositions positions;
    private final ObjectProvider<RoomContentListener> contentListeners;

    BackfillImport(RoomRepository rooms, EventRepository events, StateRepository state, EventGraph graph,
            OutlierRepository outliers, EventPersister persister, StreamPositions positions,
            ObjectProvider<RoomContentListener> contentListeners) {
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.graph = graph;
        this.outliers = outliers;
        this.persister = persister;
        this.positions = positions;
        this.contentListeners = contentListeners;
    }

    /** What a batch did: events stored, events rejected, the frontier after it. */
    public record Result(int stored, int rejected, List<String> frontier) {
    }

    /** The frontier to backfill from; empty when there is nothing (more) to fetch or the room waits for a retry. */
    public List<String> frontier(Domain domain, String roomId) {
        Document room = rooms.find(domain.database(), roomId);
        if (room == null || room.getString("state_group") == null) {
            return List.of();
        }
        Long retryAt = room.getLong(RETRY_AT);
        if (retryAt != null && retryAt > System.currentTimeMillis()) {
            return List.of();
        }
        List<String> frontier = room.getList(FRONTIER, String.class);
        return frontier == null ? List.of() : frontier;
    }

    /** No backfill for the room before {@code epochMillis} (the other servers had nothing or failed). */
    public void retryAfter(Domain domain, String roomId, long epochMillis) {
        rooms.setField(domain.database(), roomId, RETRY_AT, epochMillis);
    }

    /** The frontier of a room this server joins for the first time: prev events of the imported events not among them. */
    static List<String> initialFrontier(Collection<Pdu> imported) {
        Set<String> ids = new HashSet<>();
        imported.forEach(p -> ids.add(p.eventId().value()));
        Set<String> frontier = new LinkedHashSet<>();
        imported.stream().sorted(Comparator.comparingLong(Pdu::depth).reversed())
                .forEach(p -> p.prevEvents().forEach(prev -> {
                    if (!ids.contains(prev.value())) {
                        frontier.add(prev.value());
                    }
                }));
        return frontier.stream().limit(MAX_FRONTIER).toList();
    }

    /**
     * The events of the batch whose state cannot be derived here: some prev event is neither in the batch nor
     * stored with known state after it. The caller fetches the state before them.
     */
    public List<Pdu> needingState(Domain domain, String roomId, Collection<Pdu> batch) {
        MongoDatabase db = domain.database();
        Set<String> inBatch = new HashSet<>();
        batch.forEach(p -> inBatch.add(p.eventId().value()));
        List<Pdu> result = new ArrayList<>();
        for (Pdu pdu : batch) {
            if (!roomId.equals(pdu.roomId().value()) || knownStateAfter(db, pdu.eventId().value()) != null) {
                continue;
            }
            for (EventId prev : pdu.prevEvents()) {
                if (!inBatch.contains(prev.value()) && knownStateAfter(db, prev.value()) == null) {
                    result.add(pdu);
                    break;
                }
            }
        }
        return result;
    }

    /**
     * Checks and stores a batch of the room's history.
     *
     * @param batch       events of the room (format, signatures, hashes checked), any order
     * @param stateBefore for events of {@link #needingState}: the ids of the state before them (events known here)
     */
    public Result importBatch(Domain domain, String roomId, Collection<Pdu> batch, Map<String, ? extends Collection<String>> stateBefore,
            EventAuthorizer authorizer) {
        MongoDatabase db = domain.database();
        Document room = rooms.find(db, roomId);
        if (room == null || room.getString("state_group") == null) {
            return new Result(0, 0, List.of());
        }
        Map<String, Pdu> unique = new LinkedHashMap<>();
        for (Pdu pdu : batch) {
            if (roomId.equals(pdu.roomId().value()) && pdu.roomVersion().id().equals(room.getString("version"))) {
                unique.putIfAbsent(pdu.eventId().value(), pdu);
            }
        }
        List<Pdu> oldestFirst = new ArrayList<>(unique.values());
        oldestFirst.sort(Comparator.comparingLong(Pdu::depth).thenComparing(p -> p.eventId().value()));
        Batch work = new Batch(db);
        List<Accepted> toStore = new ArrayList<>();
        List<String> storedBefore = new ArrayList<>();
        int rejected = 0;
        for (Pdu pdu : oldestFirst) {
            String id = pdu.eventId().value();
            Document doc = events.find(db, id);
            if (doc != null && doc.getString("pdu") == null) {
                work.handled.add(id); // purged
                continue;
            }
            String knownAfter = doc == null ? null : stateAfterOf(doc);
            if (knownAfter != null) {
                work.stateAfter.put(id, knownAfter);
                work.handled.add(id);
                if (doc.get("pos", 0L) < 0) {
                    storedBefore.add(id); // backfilled by an earlier import, which may have stopped before its redactions
                }
                continue;
            }
            EventGraph.Node node = doc == null ? graph.find(db, id) : null;
            if (node != null && (node.rejected() || node.softFailed())) {
                if (node.stateAfter() != null) {
                    work.stateAfter.put(id, node.stateAfter());
                }
                work.handled.add(id);
                continue;
            }
            String before = work.stateBefore(roomId, pdu, stateBefore.get(id), authorizer);
            if (before == null) {
                continue; // stays unknown: its state could not be learnt
            }
            Map<StateKey, StateEntry> beforeMap = state.resolve(db, before);
            List<Pdu> authEvents = new ArrayList<>();
            boolean authKnown = true;
            for (EventId authId : pdu.authEvents()) {
                Optional<Pdu> auth = work.find(authId.value());
                if (auth.isPresent()) {
                    authEvents.add(auth.get());
                } else if (!work.isRejected(authId.value())) {
                    authKnown = false;
                }
            }
            if (!authKnown) {
                continue;
            }
            Map<StateKey, Pdu> authState = new HashMap<>();
            for (StateKey key : AuthEventSelection.select(pdu)) {
                StateEntry entry = beforeMap.get(key);
                if (entry != null) {
                    work.find(entry.eventId()).ifPresent(e -> authState.put(key, e));
                }
            }
            ReceiptChecks.Decision decision = new ReceiptChecks(authorizer).decide(pdu, authEvents,
                    e -> work.isRejected(e.value()), authState, authState);
            work.handled.add(id);
            if (decision.outcome() != ReceiptChecks.Outcome.ACCEPT) {
                if (doc == null) {
                    outliers.putDecision(db, pdu, OutlierRepository.REJECTED, decision.reason(), before, before);
                }
                work.stateAfter.put(id, before); // later events may cite it; it changes no state
                work.rejected.add(id);
                rejected++;
                continue;
            }
            String after = pdu.isState()
                    ? state.createGroup(db, roomId, before, pdu.stateTuple().orElseThrow(), EventPersister.entryOf(pdu))
                    : before;
            work.stateAfter.put(id, after);
            work.accepted.put(id, pdu);
            if (doc == null) {
                toStore.add(new Accepted(pdu, before, after));
            }
        }
        store(domain, roomId, toStore);
        List<String> stored = new ArrayList<>(storedBefore);
        toStore.forEach(a -> stored.add(a.pdu().eventId().value()));
        applyRedactions(db, stored);
        List<String> frontier = advance(db, room, work);
        rooms.setField(db, roomId, FRONTIER, frontier);
        return new Result(toStore.size(), rejected, frontier);
    }

    private record Accepted(Pdu pdu, String stateBefore, String stateAfter) {
    }

    /** Negative positions, oldest lowest; written newest first. */
    private void store(Domain domain, String roomId, List<Accepted> accepted) {
        if (accepted.isEmpty()) {
            return;
        }
        MongoDatabase db = domain.database();
        long high = positions.nextBlock(domain, StreamPositions.BACKFILL, accepted.size());
        for (int i = accepted.size() - 1; i >= 0; i--) {
            Accepted a = accepted.get(i);
            Pdu pdu = a.pdu();
            Document intent = new Document("event_id", pdu.eventId().value()).append("version", pdu.roomVersion().id())
                    .append("pdu", CanonicalJson.encodeToString(pdu.json())).append("sg_before", a.stateBefore())
                    .append("sg_after", a.stateAfter());
            contentListeners.orderedStream().forEach(l -> l.eventStoring(domain, roomId, pdu.content()));
            events.insert(db, EventPersister.document(roomId, -high + i, pdu, intent));
        }
    }

    /**
     * A backfilled redaction applies to its stored target, and redactions stored before apply to a backfilled target.
     * Idempotent: a batch fetched again after an import that stopped between insert and this step completes it.
     */
    private void applyRedactions(MongoDatabase db, List<String> eventIds) {
        for (String eventId : eventIds) {
            Document doc = events.find(db, eventId);
            if (doc == null || doc.getString("pdu") == null) {
                continue;
            }
            StoredEvent stored = StoredEvent.of(doc);
            stored.pdu().redacts().ifPresent(target -> persister.applyRedaction(db, stored, target.value(), loader(db)));
            for (Document redaction : events.redactionsOf(db, eventId)) {
                persister.applyRedaction(db, StoredEvent.of(redaction), eventId, loader(db));
            }
        }
    }

    private Function<String, Pdu> loader(MongoDatabase db) {
        return id -> {
            EventGraph.Node node = graph.find(db, id);
            if (node == null) {
                throw new IllegalStateException("state event missing");
            }
            return node.pdu();
        };
    }

    /**
     * The new frontier: the old one without what is known now, plus the prev events of this batch's events
     * (accepted, or stored before) that are not known here.
     */
    private List<String> advance(MongoDatabase db, Document room, Batch work) {
        List<String> old = room.getList(FRONTIER, String.class);
        Set<String> frontier = new LinkedHashSet<>();
        Set<String> seenPrev = new HashSet<>();
        List<Pdu> newestFirst = new ArrayList<>(work.accepted.values());
        newestFirst.sort(Comparator.comparingLong(Pdu::depth).reversed());
        for (Pdu pdu : newestFirst) {
            for (EventId prev : pdu.prevEvents()) {
                if (seenPrev.add(prev.value()) && !work.handled.contains(prev.value()) && unknownHistory(db, prev.value())) {
                    frontier.add(prev.value());
                }
            }
        }
        if (old != null) {
            for (String id : old) {
                if (!work.handled.contains(id) && unknownHistory(db, id)) {
                    frontier.add(id);
                }
            }
        }
        return frontier.stream().limit(MAX_FRONTIER).toList();
    }

    /** Not in the timeline and not known as rejected or soft-failed. */
    private boolean unknownHistory(MongoDatabase db, String eventId) {
        if (events.find(db, eventId) != null) {
            return false;
        }
        EventGraph.Node node = graph.find(db, eventId);
        return node == null || !(node.rejected() || node.softFailed());
    }

    /** The state group after a stored event if this server knows the state at it; null otherwise. */
    private String knownStateAfter(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        if (doc != null) {
            return doc.getString("pdu") == null ? null : stateAfterOf(doc);
        }
        EventGraph.Node node = graph.find(db, eventId);
        return node == null ? null : node.stateAfter(); // a rejected event's is the state before it
    }

    /**
     * The state after a timeline event, unless it is not known here: an invite stored outside the graph, or a
     * state event imported with a join (state before and after it are the state at the join, not at the event).
     */
    private static String stateAfterOf(Document doc) {
        String before = doc.getString("sg_before");
        String after = doc.getString("sg_after");
        if (after == null || after.startsWith(RemoteInviteStore.GROUP_PREFIX)) {
            return null;
        }
        return doc.getString("state_key") != null && after.equals(before) ? null : after;
    }

    /** The working set of one batch: what it decided, and lookups that see its accepted events before they are stored. */
    private final class Batch {
        final MongoDatabase db;
        final Map<String, String> stateAfter = new HashMap<>();
        final Map<String, Pdu> accepted = new LinkedHashMap<>();
        final Set<String> rejected = new HashSet<>();
        final Set<String> handled = new HashSet<>();

        Batch(MongoDatabase db) {
            this.db = db;
        }

        Optional<Pdu> find(String eventId) {
            Pdu pdu = accepted.get(eventId);
            if (pdu != null) {
                return Optional.of(pdu);
            }
            if (rejected.contains(eventId)) {
                return Optional.empty();
            }
            EventGraph.Node node = graph.find(db, eventId);
            return node == null || node.rejected() ? Optional.empty() : Optional.of(node.pdu());
        }

        boolean isRejected(String eventId) {
            return rejected.contains(eventId) || graph.isRejected(db, eventId);
        }

        EventSource source() {
            return id -> find(id.value());
        }

        /** The state group before {@code pdu}: from {@code stateIds} if given, else from the states after its prev events. */
        String stateBefore(String roomId, Pdu pdu, Collection<String> stateIds, EventAuthorizer authorizer) {
            String id = pdu.eventId().value();
            if (stateIds != null) {
                Map<StateKey, StateEntry> snapshot = new HashMap<>();
                for (String stateId : stateIds) {
                    Optional<Pdu> event = find(stateId);
                    if (event.isEmpty() || !event.get().isState() || !roomId.equals(event.get().roomId().value())) {
                        return null;
                    }
                    snapshot.put(event.get().stateTuple().orElseThrow(), EventPersister.entryOf(event.get()));
                }
                return snapshot.containsKey(StateKey.CREATE) ? state.createSnapshot(db, roomId, "sg:bf:" + id, snapshot) : null;
            }
            Set<String> groups = new LinkedHashSet<>();
            for (EventId prev : pdu.prevEvents()) {
                String group = stateAfter.containsKey(prev.value()) ? stateAfter.get(prev.value())
                        : knownStateAfter(db, prev.value());
                if (group == null) {
                    return null;
                }
                groups.add(group);
            }
            if (groups.isEmpty()) {
                return state.createSnapshot(db, roomId, "sg:bf:" + id, Map.of()); // the create event
            }
            if (groups.size() == 1) {
                return groups.iterator().next();
            }
            List<Map<StateKey, StateEntry>> states = new ArrayList<>();
            groups.forEach(g -> states.add(state.resolve(db, g)));
            Map<StateKey, StateEntry> resolved = RemoteEventPersister.resolve(source(), pdu, states, authorizer);
            return state.createSnapshot(db, roomId, "sg:bf:" + id, resolved);
        }
    }
}
