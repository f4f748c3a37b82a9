package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.auth.ReceiptChecks;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.stateres.EventSource;
import de.tim.matrix.stateres.StateResolver;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Persists PDUs received from other servers (already format-, signature- and hash-checked by the
 * caller) after the auth checks of "Checks performed on receipt of a PDU": against its auth events,
 * against the state before it, against the current state (soft failure). Rejected and soft-failed
 * events are kept outside the timeline ({@link OutlierRepository}, with the state around them), so they
 * never change the current state or reach clients, are never forward extremities, and are not checked
 * again when received again; later events may cite soft-failed (and rejected) events as prev events.
 * Auth and prev events are looked up in the timeline and the outliers ({@link EventGraph}).
 *
 * <p>An event extending the room's head (its {@code prev_events} are the current forward extremities)
 * has the current state before it and is appended with the same write intent and completion as local
 * events ({@link EventPersister}). An event on a fork (older prev events, all known here) gets the
 * state resolved (v2) from the states after its prev events; it becomes a forward extremity beside the
 * others and the current state becomes the resolution of the current state and the state after it (the
 * next local event merges the fork by citing all extremities).
 */
@Component
public class RemoteEventPersister {

    private static final int MAX_ATTEMPTS = 20;

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EventPersister persister;
    private final EventGraph graph;
    private final OutlierRepository outliers;

    RemoteEventPersister(RoomRepository rooms, EventRepository events, StateRepository state, EventPersister persister,
            EventGraph graph, OutlierRepository outliers) {
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.persister = persister;
        this.graph = graph;
        this.outliers = outliers;
    }

    /** What happened to a received PDU. */
    public enum Outcome { PERSISTED, DUPLICATE, REJECTED, SOFT_FAILED, MISSING_EVENTS, UNKNOWN_ROOM, NOT_AT_HEAD }

    /**
     * The outcome, the stored event (persisted or duplicate), a reason for the others and, for
     * {@code MISSING_EVENTS}, the unknown auth events or (if those are all known) the unknown prev events.
     */
    public record Result(Outcome outcome, StoredEvent event, String reason, List<String> missingAuthEvents,
            List<String> missingPrevEvents) {
        static Result of(Outcome outcome, String reason) {
            return new Result(outcome, null, reason, List.of(), List.of());
        }

        static Result stored(Outcome outcome, StoredEvent event) {
            return new Result(outcome, event, null, List.of(), List.of());
        }

        public boolean stored() {
            return outcome == Outcome.PERSISTED || outcome == Outcome.DUPLICATE;
        }
    }

    /**
     * Authorises and appends {@code pdu}; a rejected or soft-failed event is kept as such (see
     * {@link OutlierRepository}), and the same event received again gets the same outcome without new checks.
     *
     * @param authorizer the auth rules with a signature checker that knows remote keys
     */
    public Result persist(Domain domain, Pdu pdu, EventAuthorizer authorizer) {
        return run(domain, pdu, authorizer, true);
    }

    /** The same checks as {@link #persist} without writing: {@code PERSISTED} means it would be accepted now. */
    public Result check(Domain domain, Pdu pdu, EventAuthorizer authorizer) {
        return run(domain, pdu, authorizer, false);
    }

    private Result run(Domain domain, Pdu pdu, EventAuthorizer authorizer, boolean write) {
        MongoDatabase db = domain.database();
        String roomId = pdu.roomId().value();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Document existing = events.find(db, pdu.eventId().value());
            if (existing != null) {
                return Result.stored(Outcome.DUPLICATE, StoredEvent.of(existing));
            }
            EventGraph.Node known = graph.find(db, pdu.eventId().value());
            if (known != null && known.rejected()) {
                return Result.of(Outcome.REJECTED, known.reason());
            }
            if (known != null && known.softFailed()) {
                return Result.of(Outcome.SOFT_FAILED, known.reason());
            }
            Document room = rooms.find(db, roomId);
            if (room == null || room.getString("state_group") == null) {
                return Result.of(Outcome.UNKNOWN_ROOM, "room unknown here");
            }
            if (!pdu.roomVersion().id().equals(room.getString("version"))) {
                return Result.of(Outcome.REJECTED, "room version mismatch");
            }
            Document pending = room.get("pending", Document.class);
            if (pending != null) {
                persister.complete(domain, roomId, pending);
                continue;
            }
            List<Pdu> authEvents = new ArrayList<>();
            List<String> missingAuth = new ArrayList<>();
            for (EventId id : pdu.authEvents()) {
                EventGraph.Node node = graph.find(db, id.value());
                if (node == null) {
                    missingAuth.add(id.value());
                } else {
                    authEvents.add(node.pdu()); // another room's event fails auth rule 2
                }
            }
            if (!missingAuth.isEmpty()) {
                return new Result(Outcome.MISSING_EVENTS, null, "auth events unknown", missingAuth, List.of());
            }
            List<String> missingPrev = new ArrayList<>();
            Map<String, EventGraph.Node> prevNodes = new HashMap<>();
            for (EventId id : pdu.prevEvents()) {
                EventGraph.Node node = graph.find(db, id.value());
                if (node == null || node.stateAfter() == null || !roomId.equals(node.pdu().roomId().value())) {
                    missingPrev.add(id.value());
                } else {
                    prevNodes.put(id.value(), node);
                }
            }
            if (!missingPrev.isEmpty()) {
                return new Result(Outcome.MISSING_EVENTS, null, "prev events unknown", List.of(), missingPrev);
            }
            List<String> extremities = room.getList("extremities", String.class);
            Set<String> prev = new HashSet<>();
            pdu.prevEvents().forEach(p -> prev.add(p.value()));
            boolean atHead = prev.equals(new HashSet<>(extremities));
            String currentGroup = room.getString("state_group");
            Map<StateKey, StateEntry> currentMap = state.resolve(db, currentGroup);
            String groupBefore;
            Map<StateKey, StateEntry> beforeMap;
            if (atHead) {
                groupBefore = currentGroup;
                beforeMap = currentMap;
            } else {
                // on a fork: the state before is the resolution of the states after its prev events
                Set<String> prevGroups = new java.util.LinkedHashSet<>();
                prevNodes.values().forEach(n -> prevGroups.add(n.stateAfter()));
                if (prevGroups.size() == 1) {
                    groupBefore = prevGroups.iterator().next();
                    beforeMap = state.resolve(db, groupBefore);
                } else {
                    List<Map<StateKey, StateEntry>> states = new ArrayList<>();
                    prevGroups.forEach(g -> states.add(state.resolve(db, g)));
                    beforeMap = resolve(db, pdu, states, authorizer);
                    groupBefore = write ? state.createSnapshot(db, roomId, "sg:before:" + pdu.eventId().value(), beforeMap) : null;
                }
            }
            Map<StateKey, Pdu> before = authState(db, pdu, beforeMap);
            Map<StateKey, Pdu> current = atHead ? before : authState(db, pdu, currentMap);
            ReceiptChecks.Decision decision = new ReceiptChecks(authorizer).decide(pdu, authEvents,
                    id -> graph.isRejected(db, id.value()), before, current);
            if (decision.outcome() == ReceiptChecks.Outcome.REJECT) {
                if (write) {
                    // kept with its reason; it does not update state: the state after it is the state before it
                    outliers.putDecision(db, pdu, OutlierRepository.REJECTED, decision.reason(), groupBefore, groupBefore);
                }
                return Result.of(Outcome.REJECTED, decision.reason());
            }
            String groupAfter = groupBefore;
            if (write && pdu.isState()) {
                groupAfter = state.createGroup(db, roomId, groupBefore, pdu.stateTuple().orElseThrow(), EventPersister.entryOf(pdu));
            }
            if (decision.outcome() == ReceiptChecks.Outcome.SOFT_FAIL) {
                if (write) {
                    // kept (later events may cite it), but neither in the timeline nor a forward extremity
                    outliers.putDecision(db, pdu, OutlierRepository.SOFT_FAILED, decision.reason(), groupBefore, groupAfter);
                }
                return Result.of(Outcome.SOFT_FAILED, decision.reason());
            }
            if (!write) {
                return Result.of(Outcome.PERSISTED, null);
            }
            Document intent = new Document("event_id", pdu.eventId().value()).append("version", pdu.roomVersion().id())
                    .append("pdu", CanonicalJson.encodeToString(pdu.json())).append("sg_before", groupBefore)
                    .append("sg_after", groupAfter);
            long depth = Math.max(room.getLong("depth"), pdu.depth());
            if (atHead) {
                if (rooms.advanceHead(db, roomId, room.getLong("seq"), pdu.eventId().value(), depth, groupAfter, intent)) {
                    return Result.stored(Outcome.PERSISTED, persister.complete(domain, roomId, intent));
                }
                continue;
            }
            // a new forward extremity beside the others; current state = resolution of the current state and ours
            List<String> heads = new ArrayList<>(extremities);
            heads.removeAll(prev);
            heads.add(pdu.eventId().value());
            Map<StateKey, StateEntry> merged = resolve(db, pdu, List.of(currentMap, state.resolve(db, groupAfter)), authorizer);
            String mergedGroup = state.createSnapshot(db, roomId, "sg:merge:" + pdu.eventId().value(), merged);
            merged.forEach((key, entry) -> {
                StateEntry was = currentMap.get(key);
                if (was == null || !was.eventId().equals(entry.eventId())) {
                    toTimeline(domain, roomId, entry.eventId()); // entries of the current state are there already
                }
            });
            if (rooms.advanceHeadTo(db, roomId, room.getLong("seq"), heads, depth, mergedGroup, intent)) {
                StoredEvent stored = persister.complete(domain, roomId, intent);
                merged.forEach((key, entry) -> {
                    StateEntry was = currentMap.get(key);
                    if (was == null || !was.eventId().equals(entry.eventId())) {
                        state.setCurrent(db, roomId, key, entry, stored.pos());
                    }
                });
                return Result.stored(Outcome.PERSISTED, stored);
            }
        }
        return Result.of(Outcome.NOT_AT_HEAD, "room is busy");
    }

    /**
     * Current state only holds events of the timeline (state reads and local appends load them from there):
     * an outlier that enters it (resolved into the state) gets a stream position first. Idempotent.
     */
    void toTimeline(Domain domain, String roomId, String eventId) {
        MongoDatabase db = domain.database();
        if (events.find(db, eventId) != null) {
            return;
        }
        EventGraph.Node node = graph.find(db, eventId);
        if (node == null || node.rejected()) {
            throw new IllegalStateException("state entry without event");
        }
        persister.insertOffHead(domain, roomId, new Document("event_id", eventId).append("version", node.pdu().roomVersion().id())
                .append("pdu", CanonicalJson.encodeToString(node.pdu().json())).append("sg_before", node.stateBefore())
                .append("sg_after", node.stateAfter()));
    }

    /** State resolution v2 over state maps of this room. */
    private Map<StateKey, StateEntry> resolve(MongoDatabase db, Pdu pdu, List<Map<StateKey, StateEntry>> states,
            EventAuthorizer authorizer) {
        return resolve(graph.source(db), pdu, states, authorizer);
    }

    /** State resolution v2 over state maps whose events {@code source} has. */
    static Map<StateKey, StateEntry> resolve(EventSource source, Pdu pdu, List<Map<StateKey, StateEntry>> states,
            EventAuthorizer authorizer) {
        List<Map<StateKey, EventId>> ids = new ArrayList<>();
        for (Map<StateKey, StateEntry> s : states) {
            Map<StateKey, EventId> m = new HashMap<>();
            s.forEach((k, e) -> m.put(k, new EventId(e.eventId())));
            ids.add(m);
        }
        Map<StateKey, EventId> resolved = new StateResolver(authorizer).resolve(pdu.roomVersion(), ids, source);
        Map<StateKey, StateEntry> result = new HashMap<>();
        resolved.forEach((k, id) -> source.event(id).ifPresent(e -> result.put(k, EventPersister.entryOf(e))));
        return result;
    }

    /** The state entries the auth rules look at for {@code pdu}, loaded. */
    private Map<StateKey, Pdu> authState(MongoDatabase db, Pdu pdu, Map<StateKey, StateEntry> stateMap) {
        Map<StateKey, Pdu> result = new HashMap<>();
        for (StateKey key : AuthEventSelection.select(pdu)) {
            StateEntry entry = stateMap.get(key);
            if (entry != null) {
                EventGraph.Node node = graph.find(db, entry.eventId());
                if (node != null) {
                    result.put(key, node.pdu());
                }
            }
        }
        return result;
    }
}
