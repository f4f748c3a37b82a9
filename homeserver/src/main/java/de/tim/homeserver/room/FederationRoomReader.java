package de.tim.homeserver.room;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.Redaction;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.stateres.AuthChains;
import de.tim.matrix.stateres.EventSource;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Reads of room events and state for other servers (server-server "Retrieving events"): PDUs as
 * stored (redacted if they were redacted), the state before an event, auth chains, backfill and
 * missing events; and whether a server may see an event (history visibility for servers).
 */
@Service
public class FederationRoomReader {

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final OutlierRepository outliers;
    private final EventGraph graph;

    FederationRoomReader(RoomRepository rooms, EventRepository events, StateRepository state, OutlierRepository outliers,
            EventGraph graph) {
        this.outliers = outliers;
        this.graph = graph;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
    }

    /** Whether the room exists here. */
    public boolean knowsRoom(Domain domain, String roomId) {
        return rooms.find(domain.database(), roomId) != null;
    }

    /** Whether this server is in the room: it holds the room's state (not only a remote invite). */
    public boolean isResident(Domain domain, String roomId) {
        Document room = rooms.find(domain.database(), roomId);
        return room != null && room.getString("state_group") != null;
    }

    /** The current membership event of the user in the room, if any. */
    public Optional<StoredEvent> membership(Domain domain, String roomId, String userId) {
        StateEntry entry = state.current(domain.database(), roomId).get(StateKey.member(userId));
        return entry == null ? Optional.empty() : event(domain, entry.eventId());
    }

    private static final Set<String> STRIPPED = Set.of(EventTypes.CREATE, EventTypes.JOIN_RULES, "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

    /** Stripped state of the room for an invite ({@code invite_room_state}) plus the sender's member event. */
    public List<ObjectNode> strippedState(Domain domain, String roomId, String senderId) {
        List<String> ids = new ArrayList<>();
        state.current(domain.database(), roomId).forEach((k, v) -> {
            if ((STRIPPED.contains(k.type()) && k.stateKey().isEmpty())
                    || (EventTypes.MEMBER.equals(k.type()) && k.stateKey().equals(senderId))) {
                ids.add(v.eventId());
            }
        });
        List<ObjectNode> result = new ArrayList<>();
        for (StoredEvent e : events(domain, ids)) {
            result.add(ClientEvents.stripped(e));
        }
        return result;
    }

    /** The room's version id, if the room is known here. */
    public Optional<String> roomVersion(Domain domain, String roomId) {
        Document room = rooms.find(domain.database(), roomId);
        return room == null ? Optional.empty() : Optional.of(room.getString("version"));
    }

    /** The room's forward extremities (empty for unknown rooms). */
    public List<String> extremities(Domain domain, String roomId) {
        Document room = rooms.find(domain.database(), roomId);
        return room == null ? List.of() : room.getList("extremities", String.class);
    }

    /** A stored event. */
    public Optional<StoredEvent> event(Domain domain, String eventId) {
        Document doc = events.find(domain.database(), eventId);
        return doc == null ? Optional.empty() : Optional.of(StoredEvent.of(doc));
    }

    /**
     * An event as other servers may ask for it ({@code /event}): a timeline event, else an outlier that was not
     * rejected (soft-failed events, auth chain events), without a stream position ({@code pos} -1).
     */
    public Optional<StoredEvent> eventForServers(Domain domain, String eventId) {
        Optional<StoredEvent> timeline = event(domain, eventId);
        if (timeline.isPresent()) {
            return timeline;
        }
        List<StoredEvent> outlier = events(domain, List.of(eventId));
        return outlier.isEmpty() ? Optional.empty() : Optional.of(outlier.getFirst());
    }

    /** The event as served over federation: the PDU, redacted if a redaction applies to it. */
    public ObjectNode federationJson(StoredEvent event) {
        Pdu pdu = event.pdu();
        return event.redactedBy() == null ? pdu.json() : Redaction.redact(pdu.json(), pdu.roomVersion());
    }

    /**
     * The event as served to {@code server} in {@code backfill} and {@code get_missing_events}: as
     * {@link #federationJson}, but redacted when the server may not see it ({@link #mayServerSee}), so the room's
     * graph stays connected for the other server without showing it what history visibility hides.
     */
    public ObjectNode federationJsonFor(Domain domain, StoredEvent event, ServerName server) {
        ObjectNode json = federationJson(event);
        return event.redactedBy() != null || mayServerSee(domain, event, server) ? json
                : Redaction.redact(json, event.pdu().roomVersion());
    }

    /** The content of a current state event of the room, if set. */
    public Optional<com.fasterxml.jackson.databind.JsonNode> currentStateContent(Domain domain, String roomId, StateKey key) {
        StateEntry entry = state.current(domain.database(), roomId).get(key);
        if (entry == null) {
            return Optional.empty();
        }
        return event(domain, entry.eventId()).map(e -> e.pdu().content());
    }

    /** Whether {@code server} has a joined member in the room's current state. */
    public boolean isInRoom(Domain domain, String roomId, ServerName server) {
        return hasMember(state.current(domain.database(), roomId), server, Set.of("join"));
    }

    /**
     * History visibility for servers: {@code server} may see the event if the room is world readable at it,
     * if it had a joined member at the event (or an invited one under {@code invited}), or under
     * {@code shared} if it has a joined member now.
     */
    public boolean mayServerSee(Domain domain, StoredEvent event, ServerName server) {
        MongoDatabase db = domain.database();
        Map<StateKey, StateEntry> at = state.resolve(db, event.stateAfter());
        StateEntry hv = at.get(StateKey.of(EventTypes.HISTORY_VISIBILITY, ""));
        String visibility = hv == null || hv.value() == null ? "shared" : hv.value();
        if ("world_readable".equals(visibility)) {
            return true;
        }
        Set<String> memberships = "invited".equals(visibility) ? Set.of("join", "invite") : Set.of("join");
        if (hasMember(at, server, memberships)) {
            return true;
        }
        return "shared".equals(visibility) && isInRoom(domain, event.roomId(), server);
    }

    private static boolean hasMember(Map<StateKey, StateEntry> state, ServerName server, Set<String> memberships) {
        String suffix = ":" + server;
        for (Map.Entry<StateKey, StateEntry> e : state.entrySet()) {
            if (EventTypes.MEMBER.equals(e.getKey().type()) && e.getKey().stateKey().endsWith(suffix)
                    && memberships.contains(e.getValue().value())) {
                return true;
            }
        }
        return false;
    }

    /** The state before the event (the room state "at" it), as event ids. */
    public List<String> stateIdsBefore(Domain domain, StoredEvent event) {
        return state.resolve(domain.database(), event.stateBefore()).values().stream().map(StateEntry::eventId).toList();
    }

    /** The union of the auth chains of the given events (not including them), event ids. */
    public Set<String> authChainIds(Domain domain, Collection<String> eventIds) {
        AuthChains chains = new AuthChains(source(domain));
        Set<String> result = new LinkedHashSet<>();
        for (String id : eventIds) {
            chains.authChain(new EventId(id)).forEach(e -> result.add(e.value()));
        }
        return result;
    }

    /**
     * Stored events by id (unknown ids are left out): timeline events, else outliers that were not rejected
     * (auth chain events, soft-failed events; as events without a stream position, {@code pos} -1).
     */
    public List<StoredEvent> events(Domain domain, Collection<String> eventIds) {
        List<StoredEvent> result = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>(eventIds);
        for (Document doc : events.findAll(domain.database(), eventIds)) {
            if (doc.getString("pdu") != null) {
                result.add(StoredEvent.of(doc));
                missing.remove(doc.getString("_id"));
            }
        }
        if (!missing.isEmpty()) {
            for (Document doc : outliers.findAll(domain.database(), missing)) {
                EventGraph.Node node = EventGraph.outlier(doc);
                if (!node.rejected()) {
                    result.add(new StoredEvent(node.pdu(), -1, node.stateBefore(), node.stateAfter(), null, null, null, null));
                }
            }
        }
        return result;
    }

    /**
     * Backfill: the given events and those before them, walking {@code prev_events} breadth first, at most
     * {@code limit} events of the room.
     */
    public List<StoredEvent> backfill(Domain domain, String roomId, Collection<String> from, int limit) {
        return walkPrev(domain, roomId, from, Set.of(), limit, 0, true);
    }

    /**
     * {@code get_missing_events}: events before {@code latest} (not including them) back to, but not
     * including, {@code earliest}, with depth at least {@code minDepth}, at most {@code limit}, oldest first.
     */
    public List<StoredEvent> missingEvents(Domain domain, String roomId, Collection<String> earliest,
            Collection<String> latest, int limit, long minDepth) {
        List<StoredEvent> found = walkPrev(domain, roomId, latest, Set.copyOf(earliest), limit, minDepth, false);
        found.sort((a, b) -> Long.compare(a.pdu().depth(), b.pdu().depth()));
        return found;
    }

    private List<StoredEvent> walkPrev(Domain domain, String roomId, Collection<String> start, Set<String> stop,
            int limit, long minDepth, boolean includeStart) {
        MongoDatabase db = domain.database();
        List<StoredEvent> result = new ArrayList<>();
        Set<String> seen = new HashSet<>(stop);
        Deque<String> queue = new ArrayDeque<>();
        for (String id : start) {
            if (includeStart) {
                queue.add(id);
            } else {
                seen.add(id);
                Document doc = events.find(db, id);
                if (doc != null && roomId.equals(doc.getString("room_id"))) {
                    StoredEvent.of(doc).pdu().prevEvents().forEach(p -> queue.add(p.value()));
                }
            }
        }
        while (!queue.isEmpty() && result.size() < limit) {
            String id = queue.poll();
            if (!seen.add(id)) {
                continue;
            }
            StoredEvent event = walkable(db, id);
            if (event == null || !roomId.equals(event.roomId())) {
                continue;
            }
            if (event.pdu().depth() < minDepth) {
                continue;
            }
            result.add(event);
            event.pdu().prevEvents().forEach(p -> queue.add(p.value()));
        }
        return result;
    }

    /**
     * An event reached by walking {@code prev_events}: a timeline event, or a soft-failed event (served only
     * when an event that references it is walked, as the spec allows); null otherwise.
     */
    private StoredEvent walkable(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        if (doc != null) {
            return doc.getString("pdu") == null ? null : StoredEvent.of(doc);
        }
        EventGraph.Node node = graph.find(db, eventId);
        return node == null || !node.softFailed() ? null
                : new StoredEvent(node.pdu(), -1, node.stateBefore(), node.stateAfter(), null, null, null, null);
    }

    /** A page of the domain's event stream after {@code after} up to the read watermark, purged events left out. */
    public record StreamPage(List<StoredEvent> events, long lastPos) {
    }

    /** Events with {@code after < pos <= upTo}, ascending, at most {@code limit}; {@code lastPos} is the last position read. */
    public StreamPage streamAfter(Domain domain, long after, long upTo, int limit) {
        List<StoredEvent> result = new ArrayList<>();
        long last = after;
        for (Document doc : events.after(domain.database(), after, upTo, limit)) {
            last = doc.getLong("pos");
            if (doc.getString("pdu") != null) {
                result.add(StoredEvent.of(doc));
            }
        }
        return new StreamPage(result, last);
    }

    /** The servers with a joined member in the room's current state. */
    public Set<String> joinedServers(Domain domain, String roomId) {
        Set<String> servers = new LinkedHashSet<>();
        for (Document m : state.members(domain.database(), roomId, "join")) {
            String userId = m.getString("state_key");
            int colon = userId.indexOf(':');
            if (colon > 0) {
                servers.add(userId.substring(colon + 1));
            }
        }
        return servers;
    }

    /** The servers with a joined member in the state after the event. */
    public Set<String> joinedServersAfter(Domain domain, StoredEvent event) {
        Set<String> servers = new LinkedHashSet<>();
        state.resolve(domain.database(), event.stateAfter()).forEach((key, entry) -> {
            if (EventTypes.MEMBER.equals(key.type()) && "join".equals(entry.value())) {
                int colon = key.stateKey().indexOf(':');
                if (colon > 0) {
                    servers.add(key.stateKey().substring(colon + 1));
                }
            }
        });
        return servers;
    }

    /** Events of this domain's store (timeline and outliers, not rejected ones) as a state resolution / auth chain source. */
    public EventSource source(Domain domain) {
        return graph.source(domain.database());
    }
}
