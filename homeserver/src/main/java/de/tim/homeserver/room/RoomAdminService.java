package de.tim.homeserver.room;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Synapse-compatible room administration: listing and details, state, messages and context without
 * history visibility (server admins), and room deletion with purge. Deletion kicks the local members,
 * removes aliases and the directory entry and, with {@code purge}, deletes events, state, receipts,
 * typing and finally the room; re-running it after an interruption finishes the job. Deletions are
 * recorded in {@value #DELETIONS} (indexed by {@link RoomRepository}) for the v2 status endpoints.
 */
@Service
public class RoomAdminService {

    static final String DELETIONS = "room_deletions";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PURGE_BATCH = 500;

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EphemeralRepository ephemeral;
    private final EventPersister persister;
    private final RoomReader reader;
    private final PublicRooms summaries;

    private final RoomStreamCache cache;
    private final ObjectProvider<RoomContentListener> contentListeners;
    private final OutlierRepository outliers;

    RoomAdminService(RoomRepository rooms, EventRepository events, StateRepository state, EphemeralRepository ephemeral,
            EventPersister persister, RoomReader reader, PublicRooms summaries, RoomStreamCache cache,
            ObjectProvider<RoomContentListener> contentListeners, OutlierRepository outliers) {
        this.outliers = outliers;
        this.contentListeners = contentListeners;
        this.cache = cache;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.ephemeral = ephemeral;
        this.persister = persister;
        this.reader = reader;
        this.summaries = summaries;
    }

    /** {@code GET /_synapse/admin/v1/rooms}: ordered by creation, {@code search_term} on name, alias or id. */
    public Map<String, Object> list(Domain domain, int from, int limit, String searchTerm) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Document room : rooms.all(domain.database(), Filters.empty(), 0, Integer.MAX_VALUE)) {
            Map<String, Object> details = details(domain, room);
            if (searchTerm == null || matches(details, searchTerm)) {
                all.add(details);
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        int end = Math.min(all.size(), from + limit);
        response.put("rooms", from >= all.size() ? List.of() : all.subList(from, end));
        response.put("offset", from);
        response.put("total_rooms", all.size());
        if (end < all.size()) {
            response.put("next_batch", end);
        }
        if (from > 0) {
            response.put("prev_batch", Math.max(0, from - limit));
        }
        return response;
    }

    private static boolean matches(Map<String, Object> details, String term) {
        String t = term.toLowerCase(Locale.ROOT);
        for (String field : List.of("room_id", "name", "canonical_alias")) {
            if (details.get(field) instanceof String s && s.toLowerCase(Locale.ROOT).contains(t)) {
                return true;
            }
        }
        return false;
    }

    public Map<String, Object> details(Domain domain, String roomId) {
        Document room = rooms.find(domain.database(), roomId);
        if (room == null) {
            throw MatrixException.notFound("Room not found");
        }
        return details(domain, room);
    }

    private Map<String, Object> details(Domain domain, Document room) {
        String roomId = room.getString("_id");
        Map<String, Object> s = summaries.summary(domain, roomId);
        Map<StateKey, StateEntry> current = state.current(domain.database(), roomId);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("room_id", roomId);
        d.put("name", s.get("name"));
        d.put("topic", s.get("topic"));
        d.put("avatar", s.get("avatar_url"));
        d.put("canonical_alias", s.get("canonical_alias"));
        long joined = (Long) s.get("num_joined_members");
        long local = current.entrySet().stream().filter(e -> e.getKey().type().equals(EventTypes.MEMBER)
                && "join".equals(e.getValue().value()) && domain.isLocal(e.getKey().stateKey())).count();
        d.put("joined_members", joined);
        d.put("joined_local_members", local);
        d.put("version", room.getString("version"));
        d.put("creator", room.getString("creator"));
        d.put("encryption", current.containsKey(StateKey.of("m.room.encryption", ""))
                ? reader.load(domain, current.get(StateKey.of("m.room.encryption", "")).eventId()).pdu().content()
                        .path("algorithm").asText(null) : null);
        d.put("federatable", true);
        d.put("public", room.getBoolean("public", false));
        d.put("join_rules", s.get("join_rule"));
        d.put("guest_access", Boolean.TRUE.equals(s.get("guest_can_join")) ? "can_join" : "forbidden");
        StateEntry hv = current.get(StateKey.of(EventTypes.HISTORY_VISIBILITY, ""));
        d.put("history_visibility", hv == null ? null : hv.value());
        d.put("state_events", current.size());
        d.put("room_type", s.get("room_type"));
        d.put("is_direct", room.getBoolean("is_direct", false));
        return d;
    }

    /** All current state events (client format). */
    public List<ObjectNode> state(Domain domain, String roomId) {
        details(domain, roomId);
        List<ObjectNode> result = new ArrayList<>();
        for (StoredEvent e : reader.load(domain, state.current(domain.database(), roomId).values().stream()
                .map(StateEntry::eventId).toList())) {
            result.add(ClientEvents.format(reader, domain, e, null, null));
        }
        return result;
    }

    /** Messages without history visibility. */
    public RoomReader.Page messages(Domain domain, String roomId, long from, Long to, boolean forward, int limit, EventFilter filter) {
        details(domain, roomId);
        List<StoredEvent> result = new ArrayList<>();
        long upTo = reader.upTo(domain);
        long cursor = forward ? from : Math.min(from, upTo);
        boolean more = true;
        while (result.size() < limit && more) {
            int batch = Math.max(limit * 2, 20);
            List<StoredEvent> page = forward
                    ? reader.range(domain, roomId, cursor, Math.min(upTo, to == null ? Long.MAX_VALUE : to), true, batch)
                    : reader.range(domain, roomId, to == null ? Long.MIN_VALUE : to, cursor, false, batch);
            more = page.size() == batch;
            for (StoredEvent e : page) {
                cursor = forward ? e.pos() : e.pos() - 1;
                if (filter.matches(e)) {
                    result.add(e);
                    if (result.size() == limit) {
                        more = true;
                        break;
                    }
                }
            }
        }
        return new RoomReader.Page(result, RoomReader.token(forward ? from : Math.min(from, upTo)),
                more && result.size() == limit ? RoomReader.token(cursor) : null);
    }

    /** Context without history visibility. */
    public RoomReader.Context context(Domain domain, String roomId, String eventId, int limit) {
        details(domain, roomId);
        StoredEvent e = reader.load(domain, eventId);
        if (!e.roomId().equals(roomId)) {
            throw MatrixException.notFound("Event not found");
        }
        int half = limit / 2;
        List<StoredEvent> before = half == 0 ? List.of() : messages(domain, roomId, e.pos() - 1, null, false, half, EventFilter.NONE).events();
        List<StoredEvent> after = limit - half == 0 ? List.of()
                : messages(domain, roomId, e.pos(), null, true, limit - half, EventFilter.NONE).events();
        long start = before.isEmpty() ? e.pos() - 1 : before.get(before.size() - 1).pos() - 1;
        long end = after.isEmpty() ? e.pos() : after.get(after.size() - 1).pos();
        List<StoredEvent> stateEvents = reader.load(domain, reader.resolve(domain, e.stateAfter()).values().stream()
                .map(StateEntry::eventId).toList());
        return new RoomReader.Context(e, before, after, RoomReader.token(start), RoomReader.token(end), stateEvents);
    }

    /**
     * {@code DELETE /_synapse/admin/v2/rooms/{roomId}}: runs the deletion now and records it; returns the
     * {@code delete_id}. Deleting a room that no longer exists is recorded as complete (idempotent for the
     * retention worker).
     */
    public String delete(Domain domain, String roomId, String requester, boolean purge) {
        MongoDatabase db = domain.database();
        String deleteId = newId();
        List<String> kicked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        db.getCollection(DELETIONS).insertOne(new Document("_id", deleteId).append("room_id", roomId)
                .append("status", "shutting_down").append("purge", purge).append("ts", System.currentTimeMillis()));
        if (rooms.find(db, roomId) != null) {
            for (Document member : state.members(db, roomId, null)) {
                String userId = member.getString("state_key");
                String m = member.getString("value");
                if (!domain.isLocal(userId) || !("join".equals(m) || "invite".equals(m) || "knock".equals(m))) {
                    continue;
                }
                try {
                    persister.append(domain, roomId, EventDraft.state(EventTypes.MEMBER, userId, userId,
                            JsonNodeFactory.instance.objectNode().put("membership", "leave")));
                    kicked.add(userId);
                } catch (MatrixException e) {
                    failed.add(userId);
                }
            }
            aliases.addAll(rooms.aliases(db, roomId));
            aliases.forEach(a -> rooms.deleteAlias(db, a));
            rooms.setPublic(db, roomId, false);
            if (purge) {
                db.getCollection(DELETIONS).updateOne(Filters.eq("_id", deleteId), new Document("$set", new Document("status", "purging")));
                purgeContent(domain, roomId);
                ephemeral.deleteRoom(db, roomId);
                state.purge(db, roomId);
                outliers.purge(db, roomId);
                events.purgeRoom(db, roomId);
                cache.invalidate(domain);
                rooms.delete(db, roomId);
            }
        }
        db.getCollection(DELETIONS).updateOne(Filters.eq("_id", deleteId), new Document("$set", new Document("status", "complete")
                .append("shutdown_room", new Document("kicked_users", kicked).append("failed_to_kick_users", failed)
                        .append("local_aliases", aliases).append("new_room_id", null))));
        return deleteId;
    }

    /**
     * Tells the content listeners (media) about every event of the room, then that the room is purged —
     * before events and state go, so a re-run after an interruption still sees them.
     */
    private void purgeContent(Domain domain, String roomId) {
        List<RoomContentListener> listeners = contentListeners.orderedStream().toList();
        if (listeners.isEmpty()) {
            return;
        }
        long after = 0;
        while (true) {
            List<Document> page = events.range(domain.database(), roomId, after, Long.MAX_VALUE, true, PURGE_BATCH);
            for (Document d : page) {
                StoredEvent e = StoredEvent.of(d);
                listeners.forEach(l -> l.eventStoring(domain, roomId, e.pdu().content()));
                after = e.pos();
            }
            if (page.size() < PURGE_BATCH) {
                break;
            }
        }
        listeners.forEach(l -> l.roomPurging(domain, roomId));
    }

    /** Status of one deletion, or null. */
    public Map<String, Object> deletion(Domain domain, String deleteId) {
        Document d = domain.database().getCollection(DELETIONS).find(Filters.eq("_id", deleteId)).first();
        return d == null ? null : status(d);
    }

    public List<Map<String, Object>> deletions(Domain domain, String roomId) {
        List<Map<String, Object>> result = new ArrayList<>();
        domain.database().getCollection(DELETIONS).find(Filters.eq("room_id", roomId)).forEach(d -> result.add(status(d)));
        return result;
    }

    private static Map<String, Object> status(Document d) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("delete_id", d.getString("_id"));
        s.put("room_id", d.getString("room_id"));
        s.put("status", d.getString("status"));
        Document shutdown = d.get("shutdown_room", Document.class);
        if (shutdown != null) {
            Map<String, Object> sr = new LinkedHashMap<>();
            sr.put("kicked_users", shutdown.getList("kicked_users", String.class));
            sr.put("failed_to_kick_users", shutdown.getList("failed_to_kick_users", String.class));
            sr.put("local_aliases", shutdown.getList("local_aliases", String.class));
            sr.put("new_room_id", null);
            s.put("shutdown_room", sr);
        }
        return s;
    }

    private static String newId() {
        StringBuilder id = new StringBuilder();
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
