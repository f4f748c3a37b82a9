package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Reads of room events and state for clients, with history visibility applied on every path: a user
 * reads events only as {@link HistoryVisibility} allows, and state as of their membership (current
 * state while joined, the state at their leave afterwards).
 */
@Service
public class RoomReader {

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EventWatermark watermark;
    private final RoomStreamCache cache;

    RoomReader(RoomRepository rooms, EventRepository events, StateRepository state, EventWatermark watermark,
            RoomStreamCache cache) {
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.watermark = watermark;
        this.cache = cache;
    }

    /** A page of events with tokens; {@code end} null when there is nothing more. */
    public record Page(List<StoredEvent> events, String start, String end) {
    }

    /** The user's view of a room: the state the user may read and the position it holds for. */
    public record View(Map<StateKey, StateEntry> state, long upTo, String membership) {
    }

    // tokens: "t<pos>" means "after every event with position <= pos"; sync tokens "s<pos>_..." are accepted

    public static String token(long pos) {
        return "t" + pos;
    }

    public static long parseToken(String token) {
        try {
            if (token.startsWith("t")) {
                return Long.parseLong(token.substring(1));
            }
            if (token.startsWith("s")) {
                int end = token.indexOf('_');
                return Long.parseLong(token.substring(1, end < 0 ? token.length() : end));
            }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // fall through
        }
        throw MatrixException.invalidParam("Invalid pagination token");
    }

    long upTo(Domain domain) {
        return watermark.upTo(domain);
    }

    HistoryVisibility visibility(Domain domain, String userId) {
        return new HistoryVisibility(domain.database(), userId, state, events);
    }

    /** The room must exist; 404 otherwise (also for rooms of other domains). */
    Document requireRoom(Domain domain, String roomId) {
        RoomService.MatrixIdsCheck.roomId(roomId);
        Document room = rooms.find(domain.database(), roomId);
        if (room == null) {
            throw MatrixException.notFound("Room not found");
        }
        return room;
    }

    /**
     * What the user may read of the room's state: current state when joined (or world readable), the
     * state at their leave/ban event after leaving; 403 otherwise.
     */
    public View view(Domain domain, String userId, String roomId) {
        requireRoom(domain, roomId);
        MongoDatabase db = domain.database();
        Map<StateKey, StateEntry> current = state.current(db, roomId);
        StateEntry member = current.get(StateKey.member(userId));
        String membership = member == null ? null : member.value();
        if ("join".equals(membership)) {
            return new View(current, Long.MAX_VALUE, membership);
        }
        StateEntry hv = current.get(StateKey.of(EventTypes.HISTORY_VISIBILITY, ""));
        if (hv != null && "world_readable".equals(hv.value())) {
            return new View(current, Long.MAX_VALUE, membership);
        }
        if (member != null && ("leave".equals(membership) || "ban".equals(membership))) {
            Document leaveEvent = events.find(db, member.eventId());
            if (leaveEvent != null) {
                StoredEvent leave = StoredEvent.of(leaveEvent);
                StateEntry before = state.resolve(db, leave.stateBefore()).get(StateKey.member(userId));
                if (before != null && "join".equals(before.value())) {
                    return new View(state.resolve(db, leave.stateAfter()), leave.pos(), membership);
                }
            }
        }
        if ("invite".equals(membership)) {
            throw MatrixException.forbidden("You are invited to this room but have not joined it");
        }
        throw MatrixException.forbidden("You are not a member of this room");
    }

    /** Every state event the user may read. */
    public List<ObjectNode> state(Requester requester, String roomId) {
        View view = view(requester.domain(), requester.userId(), roomId);
        List<ObjectNode> result = new ArrayList<>();
        for (StoredEvent e : load(requester.domain(), view.state().values().stream().map(StateEntry::eventId).toList())) {
            result.add(ClientEvents.format(this, requester.domain(), e, requester));
        }
        return result;
    }

    /** One state event's content; 404 if absent. */
    public ObjectNode stateEvent(Requester requester, String roomId, String type, String stateKey) {
        View view = view(requester.domain(), requester.userId(), roomId);
        StateEntry entry = view.state().get(StateKey.of(type, stateKey));
        if (entry == null) {
            throw MatrixException.notFound("State event not found");
        }
        StoredEvent e = load(requester.domain(), entry.eventId());
        return ClientEvents.format(this, requester.domain(), e, requester);
    }

    /** {@code GET /rooms/{roomId}/event/{eventId}}: 404 when unknown or hidden. */
    public ObjectNode event(Requester requester, String roomId, String eventId) {
        requireRoom(requester.domain(), roomId);
        StoredEvent e = visibleEvent(requester, roomId, eventId);
        return ClientEvents.format(this, requester.domain(), e, requester);
    }

    StoredEvent visibleEvent(Requester requester, String roomId, String eventId) {
        Document doc = events.find(requester.domain().database(), eventId);
        if (doc == null || !roomId.equals(doc.getString("room_id"))) {
            throw MatrixException.notFound("Event not found");
        }
        StoredEvent e = StoredEvent.of(doc);
        if (!visibility(requester.domain(), requester.userId()).canSee(e)) {
            throw MatrixException.notFound("Event not found");
        }
        return e;
    }

    /** Member events (current, or at the user's leave) for the given user ids. */
    public List<StoredEvent> memberEvents(Domain domain, Map<StateKey, StateEntry> stateMap, Collection<String> userIds) {
        List<String> ids = new ArrayList<>();
        for (String u : new LinkedHashSet<>(userIds)) {
            StateEntry e = stateMap.get(StateKey.member(u));
            if (e != null) {
                ids.add(e.eventId());
            }
        }
        return load(domain, ids);
    }

    /** {@code /members}: member events of the user's view, filtered by membership. */
    public List<ObjectNode> members(Requester requester, String roomId, String membership, String notMembership, String at) {
        View view = view(requester.domain(), requester.userId(), roomId);
        Map<StateKey, StateEntry> stateMap = view.state();
        if (at != null) {
            long pos = Math.min(parseToken(at), view.upTo());
            Document last = events.lastAtOrBefore(requester.domain().database(), roomId, pos);
            if (last != null) {
                stateMap = state.resolve(requester.domain().database(), last.getString("sg_after"));
            }
        }
        List<String> ids = new ArrayList<>();
        stateMap.forEach((k, e) -> {
            if (k.type().equals(EventTypes.MEMBER) && (membership == null || membership.equals(e.value()))
                    && (notMembership == null || !notMembership.equals(e.value()))) {
                ids.add(e.eventId());
            }
        });
        List<ObjectNode> chunk = new ArrayList<>();
        for (StoredEvent e : load(requester.domain(), ids)) {
            chunk.add(ClientEvents.format(this, requester.domain(), e, requester));
        }
        return chunk;
    }

    /** {@code /joined_members}: only for joined users. */
    public Map<String, Map<String, String>> joinedMembers(Requester requester, String roomId) {
        View view = view(requester.domain(), requester.userId(), roomId);
        if (!"join".equals(view.membership())) {
            throw MatrixException.forbidden("You are not joined to this room");
        }
        List<String> ids = new ArrayList<>();
        view.state().forEach((k, e) -> {
            if (k.type().equals(EventTypes.MEMBER) && "join".equals(e.value())) {
                ids.add(e.eventId());
            }
        });
        Map<String, Map<String, String>> joined = new LinkedHashMap<>();
        for (StoredEvent e : load(requester.domain(), ids)) {
            Map<String, String> profile = new LinkedHashMap<>();
            if (e.pdu().content().path("displayname").isTextual()) {
                profile.put("display_name", e.pdu().content().get("displayname").textValue());
            }
            if (e.pdu().content().path("avatar_url").isTextual()) {
                profile.put("avatar_url", e.pdu().content().get("avatar_url").textValue());
            }
            joined.put(e.pdu().stateKey().orElseThrow(), profile);
        }
        return joined;
    }

    public List<String> joinedRooms(Domain domain, String userId) {
        return state.memberships(domain.database(), userId).stream().filter(d -> "join".equals(d.getString("value")))
                .map(d -> d.getString("room_id")).sorted().toList();
    }

    /** The user's current membership documents (room_id, value, event_id, pos). */
    List<Document> memberships(Domain domain, String userId) {
        return cache.memberships(domain, userId, () -> state.memberships(domain.database(), userId));
    }

    boolean isForgotten(Domain domain, String userId, String roomId) {
        return rooms.isForgotten(domain.database(), userId, roomId);
    }

    /** {@code /context}: the event, events around it, and the state at it. */
    public record Context(StoredEvent event, List<StoredEvent> before, List<StoredEvent> after, String start, String end,
            List<StoredEvent> state) {
    }

    StoredEvent load(Domain domain, String eventId) {
        Document doc = events.find(domain.database(), eventId);
        if (doc == null) {
            throw MatrixException.notFound("Event not found");
        }
        return StoredEvent.of(doc);
    }

    /** Loads events, ordered by position. */
    List<StoredEvent> load(Domain domain, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        List<StoredEvent> loaded = new ArrayList<>();
        for (Document d : events.findAll(domain.database(), eventIds)) {
            loaded.add(StoredEvent.of(d));
        }
        loaded.sort((x, y) -> Long.compare(x.pos(), y.pos()));
        return loaded;
    }

    Map<StateKey, StateEntry> resolve(Domain domain, String group) {
        return state.resolve(domain.database(), group);
    }

    Document lastAtOrBefore(Domain domain, String roomId, long pos) {
        return events.lastAtOrBefore(domain.database(), roomId, pos);
    }

    /** The room's events in {@code after < pos <= upTo}: from the {@link RoomStreamCache} when it covers them. */
    List<StoredEvent> range(Domain domain, String roomId, long after, long upTo, boolean forward, int limit) {
        List<StoredEvent> cached = cache.range(domain, roomId, after, upTo, forward, limit);
        if (cached != null) {
            return cached;
        }
        List<StoredEvent> list = new ArrayList<>();
        events.range(domain.database(), roomId, after, upTo, forward, limit).forEach(d -> list.add(StoredEvent.of(d)));
        return list;
    }

    List<String> roomsWithEvents(Domain domain, Collection<String> roomIds, long after, long upTo) {
        if (roomIds.isEmpty()) {
            return List.of();
        }
        List<String> cached = cache.roomsWithEvents(domain, roomIds, after, upTo);
        return cached != null ? cached : events.roomsWithEvents(domain.database(), roomIds, after, upTo);
    }

    /** The state group after the room's last event at or before {@code pos}; null before the first. */
    String stateGroupAt(Domain domain, String roomId, long pos) {
        StoredEvent cached = cache.lastAtOrBefore(domain, roomId, pos);
        if (cached != null) {
            return cached.stateAfter();
        }
        Document last = events.lastAtOrBefore(domain.database(), roomId, pos);
        return last == null ? null : last.getString("sg_after");
    }

    /** Current state (read-only), from the {@link RoomStreamCache} while it has a valid copy. */
    Map<StateKey, StateEntry> currentState(Domain domain, String roomId) {
        return cache.currentState(domain, roomId, () -> state.current(domain.database(), roomId));
    }

    /** A member event: {@code userId}'s membership in the room became {@code membership} at {@code pos}. */
    public record MembershipChange(String roomId, String userId, String membership, long pos) {
    }

    /** Member events read per {@link #membershipChanges} call at most (a window beyond is answered in part). */
    static final int MAX_MEMBERSHIP_CHANGES = 5_000;

    /**
     * Membership changes with {@code after < pos <= upTo} (clamped to the readable position) in the rooms the
     * user is joined to now or whose own membership changed in the window (e.g. rooms they left), oldest first.
     */
    public List<MembershipChange> membershipChanges(Domain domain, String userId, long after, long upTo) {
        long end = Math.min(upTo, watermark.upTo(domain));
        if (end <= after) {
            return List.of();
        }
        List<String> roomIds = state.memberships(domain.database(), userId).stream()
                .filter(d -> "join".equals(d.getString("value")) || d.getLong("pos") > after)
                .map(d -> d.getString("room_id")).toList();
        if (roomIds.isEmpty()) {
            return List.of();
        }
        List<MembershipChange> changes = new ArrayList<>();
        for (Document d : events.memberEvents(domain.database(), roomIds, after, end, MAX_MEMBERSHIP_CHANGES)) {
            if (d.getString("state_key") != null && d.getString("membership") != null) {
                changes.add(new MembershipChange(d.getString("room_id"), d.getString("state_key"), d.getString("membership"),
                        d.getLong("pos")));
            }
        }
        return changes;
    }

    /** The room's current joined members (an internal read, no permission check). */
    public List<String> joinedMemberIds(Domain domain, String roomId) {
        List<String> members = new ArrayList<>();
        currentState(domain, roomId).forEach((k, e) -> {
            if (k.type().equals("m.room.member") && "join".equals(e.value())) {
                members.add(k.stateKey());
            }
        });
        return members;
    }
}
