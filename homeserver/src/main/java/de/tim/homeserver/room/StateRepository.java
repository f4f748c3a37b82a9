package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Repository;

/**
 * Room state: immutable state groups ({@value #GROUPS}: a full snapshot, or a delta on a parent group,
 * a new snapshot every {@value #SNAPSHOT_EVERY} deltas) referenced by events as the state before and
 * after them, and the materialised current state ({@value #CURRENT}) for fast reads.
 */
@Repository
class StateRepository implements DomainStorage {

    static final String GROUPS = "room_state_groups";
    static final String CURRENT = "room_current_state";
    static final int SNAPSHOT_EVERY = 32;
    private static final int CACHE_SIZE = 2048;

    /** Resolved groups; groups never change, so the cache only needs bounding. */
    private final Map<String, Map<StateKey, StateEntry>> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<StateKey, StateEntry>> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(GROUPS).createIndex(Indexes.ascending("room_id"));
        database.getCollection(CURRENT).createIndex(Indexes.ascending("room_id", "type", "state_key"),
                new IndexOptions().unique(true));
        database.getCollection(CURRENT).createIndex(Indexes.ascending("state_key", "type"));
    }

    /**
     * Writes the group following {@code parent} with one changed entry. The id is derived from the event
     * id, so replaying is idempotent.
     */
    String createGroup(MongoDatabase db, String roomId, String parent, StateKey key, StateEntry entry) {
        String id = "sg:" + entry.eventId();
        Document existing = groups(db).find(Filters.eq("_id", id)).first();
        if (existing != null) {
            return id;
        }
        Document doc = new Document("_id", id).append("room_id", roomId);
        int chain = parent == null ? 0 : chainOf(db, parent) + 1;
        List<Document> entries = new ArrayList<>();
        if (parent == null || chain >= SNAPSHOT_EVERY) {
            Map<StateKey, StateEntry> full = new HashMap<>(parent == null ? Map.of() : resolve(db, parent));
            full.put(key, entry);
            full.forEach((k, e) -> entries.add(entryDoc(k, e)));
            chain = 0;
            doc.append("parent", null);
        } else {
            entries.add(entryDoc(key, entry));
            doc.append("parent", parent);
        }
        doc.append("chain", chain).append("entries", entries);
        try {
            groups(db).insertOne(doc);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return id;
    }

    /** Writes a full snapshot group with the given id (state learnt from another server); idempotent. */
    String createSnapshot(MongoDatabase db, String roomId, String id, Map<StateKey, StateEntry> full) {
        if (groups(db).find(Filters.eq("_id", id)).first() != null) {
            return id;
        }
        List<Document> entries = new ArrayList<>();
        full.forEach((k, e) -> entries.add(entryDoc(k, e)));
        try {
            groups(db).insertOne(new Document("_id", id).append("room_id", roomId).append("parent", null)
                    .append("chain", 0).append("entries", entries));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return id;
    }

    private int chainOf(MongoDatabase db, String group) {
        Document doc = groups(db).find(Filters.eq("_id", group)).projection(new Document("chain", 1)).first();
        if (doc == null) {
            throw new IllegalStateException("missing state group");
        }
        return doc.getInteger("chain", 0);
    }

    /** The full state of a group (unmodifiable); empty for {@code null}. Chains are at most {@value #SNAPSHOT_EVERY} long. */
    Map<StateKey, StateEntry> resolve(MongoDatabase db, String group) {
        if (group == null) {
            return Map.of();
        }
        String cacheKey = db.getName() + "/" + group;
        Map<StateKey, StateEntry> cached = cache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Document doc = groups(db).find(Filters.eq("_id", group)).first();
        if (doc == null) {
            throw new IllegalStateException("missing state group");
        }
        Map<StateKey, StateEntry> state = new HashMap<>(resolve(db, doc.getString("parent")));
        for (Document e : doc.getList("entries", Document.class)) {
            state.put(StateKey.of(e.getString("t"), e.getString("k")), new StateEntry(e.getString("e"), e.getString("v")));
        }
        Map<StateKey, StateEntry> result = Collections.unmodifiableMap(state);
        cache.put(cacheKey, result);
        return result;
    }

    private static Document entryDoc(StateKey key, StateEntry entry) {
        Document d = new Document("t", key.type()).append("k", key.stateKey()).append("e", entry.eventId());
        if (entry.value() != null) {
            d.append("v", entry.value());
        }
        return d;
    }

    /** Sets the current state entry unless a later event (higher position) already holds it. */
    void setCurrent(MongoDatabase db, String roomId, StateKey key, StateEntry entry, long pos) {
        Document doc = new Document("_id", currentId(roomId, key)).append("room_id", roomId).append("type", key.type())
                .append("state_key", key.stateKey()).append("event_id", entry.eventId()).append("value", entry.value())
                .append("pos", pos);
        try {
            current(db).replaceOne(Filters.and(Filters.eq("_id", doc.get("_id")), Filters.lt("pos", pos)), doc,
                    new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    Map<StateKey, StateEntry> current(MongoDatabase db, String roomId) {
        Map<StateKey, StateEntry> state = new HashMap<>();
        for (Document d : current(db).find(Filters.eq("room_id", roomId))) {
            state.put(StateKey.of(d.getString("type"), d.getString("state_key")),
                    new StateEntry(d.getString("event_id"), d.getString("value")));
        }
        return state;
    }

    /** The user's current membership documents: room_id, value (membership), pos. */
    List<Document> memberships(MongoDatabase db, String userId) {
        return current(db).find(Filters.and(Filters.eq("state_key", userId), Filters.eq("type", "m.room.member")))
                .into(new ArrayList<>());
    }

    /** Current members of a room with the given membership (null: all). */
    List<Document> members(MongoDatabase db, String roomId, String membership) {
        var filter = membership == null
                ? Filters.and(Filters.eq("room_id", roomId), Filters.eq("type", "m.room.member"))
                : Filters.and(Filters.eq("room_id", roomId), Filters.eq("type", "m.room.member"), Filters.eq("value", membership));
        return current(db).find(filter).into(new ArrayList<>());
    }

    void purge(MongoDatabase db, String roomId) {
        current(db).deleteMany(Filters.eq("room_id", roomId));
        groups(db).deleteMany(Filters.eq("room_id", roomId));
        cache.keySet().removeIf(k -> k.startsWith(db.getName() + "/sg:"));
    }

    static String currentId(String roomId, StateKey key) {
        return roomId + "\u0001" + key.type() + "\u0001" + key.stateKey();
    }

    private static MongoCollection<Document> groups(MongoDatabase db) {
        return db.getCollection(GROUPS);
    }

    private static MongoCollection<Document> current(MongoDatabase db) {
        return db.getCollection(CURRENT);
    }
}
