package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Repository;

/**
 * Rooms ({@value #ROOMS}: version, flags, the head of the event graph with a sequence number for
 * compare-and-set appends, and the write intent of the event being appended), aliases
 * ({@value #ALIASES}), transaction ids of sent events ({@value #TXNS}) and forgotten rooms
 * ({@value #FORGOTTEN}).
 */
@Repository
class RoomRepository implements DomainStorage {

    static final String ROOMS = "rooms";
    static final String ALIASES = "room_aliases";
    static final String TXNS = "room_event_txns";
    static final String FORGOTTEN = "room_forgotten";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(ROOMS).createIndex(Indexes.ascending("public"));
        database.getCollection(ALIASES).createIndex(Indexes.ascending("room_id"));
        database.getCollection(TXNS).createIndex(Indexes.ascending("room_id"));
        database.getCollection(RoomAdminService.DELETIONS).createIndex(Indexes.ascending("room_id"));
    }

    /** Inserts a new room without events; false if the id exists. */
    boolean insert(MongoDatabase db, String roomId, String version, String creator, boolean direct, long ts) {
        try {
            rooms(db).insertOne(new Document("_id", roomId).append("version", version).append("creator", creator)
                    .append("is_direct", direct).append("public", false).append("created_ts", ts).append("seq", 0L)
                    .append("extremities", List.of()).append("depth", 0L).append("state_group", null)
                    .append("last_pos", 0L).append("pending", null));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Document find(MongoDatabase db, String roomId) {
        return rooms(db).find(Filters.eq("_id", roomId)).first();
    }

    /**
     * Moves the head from {@code seq} to the appended event and records the write intent
     * ({@code pending}); false when another writer moved the head first.
     */
    boolean advanceHead(MongoDatabase db, String roomId, long seq, String eventId, long depth, String stateGroup,
            Document pending) {
        return rooms(db).updateOne(Filters.and(Filters.eq("_id", roomId), Filters.eq("seq", seq)),
                Updates.combine(Updates.set("seq", seq + 1), Updates.set("extremities", List.of(eventId)),
                        Updates.set("depth", depth), Updates.set("state_group", stateGroup),
                        Updates.set("pending", pending))).getModifiedCount() == 1;
    }

    /** Like {@link #advanceHead} for an event on a fork: the head keeps several forward extremities. */
    boolean advanceHeadTo(MongoDatabase db, String roomId, long seq, List<String> extremities, long depth, String stateGroup,
            Document pending) {
        return rooms(db).updateOne(Filters.and(Filters.eq("_id", roomId), Filters.eq("seq", seq)),
                Updates.combine(Updates.set("seq", seq + 1), Updates.set("extremities", extremities),
                        Updates.set("depth", depth), Updates.set("state_group", stateGroup),
                        Updates.set("pending", pending))).getModifiedCount() == 1;
    }

    void setField(MongoDatabase db, String roomId, String field, Object value) {
        rooms(db).updateOne(Filters.eq("_id", roomId), Updates.set(field, value));
    }

    /** Sets {@code field} unless the room document has it already. */
    void setIfAbsent(MongoDatabase db, String roomId, String field, Object value) {
        rooms(db).updateOne(Filters.and(Filters.eq("_id", roomId), Filters.exists(field, false)), Updates.set(field, value));
    }

    void clearPending(MongoDatabase db, String roomId, String eventId, long pos) {
        rooms(db).updateOne(Filters.and(Filters.eq("_id", roomId), Filters.eq("pending.event_id", eventId)),
                Updates.combine(Updates.set("pending", null), Updates.max("last_pos", pos)));
    }

    /** Rooms with a write intent left behind (crash between head move and completion). */
    List<Document> withPending(MongoDatabase db) {
        return rooms(db).find(Filters.ne("pending", null)).into(new ArrayList<>());
    }

    void setPublic(MongoDatabase db, String roomId, boolean published) {
        rooms(db).updateOne(Filters.eq("_id", roomId), Updates.set("public", published));
    }

    List<Document> publicRooms(MongoDatabase db) {
        return rooms(db).find(Filters.eq("public", true)).sort(Sorts.ascending("_id")).into(new ArrayList<>());
    }

    List<Document> all(MongoDatabase db, Bson filter, int skip, int limit) {
        return rooms(db).find(filter).sort(Sorts.ascending("created_ts", "_id")).skip(skip).limit(limit).into(new ArrayList<>());
    }

    long count(MongoDatabase db, Bson filter) {
        return rooms(db).countDocuments(filter);
    }

    void delete(MongoDatabase db, String roomId) {
        rooms(db).deleteOne(Filters.eq("_id", roomId));
        db.getCollection(ALIASES).deleteMany(Filters.eq("room_id", roomId));
        db.getCollection(TXNS).deleteMany(Filters.eq("room_id", roomId));
        db.getCollection(FORGOTTEN).deleteMany(Filters.eq("room_id", roomId));
    }

    // aliases

    boolean insertAlias(MongoDatabase db, String alias, String roomId, String creator) {
        try {
            db.getCollection(ALIASES).insertOne(new Document("_id", alias).append("room_id", roomId).append("creator", creator));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Points an alias of {@code from} at {@code to} (room upgrades); false if it no longer pointed at {@code from}. */
    boolean moveAlias(MongoDatabase db, String alias, String from, String to) {
        return db.getCollection(ALIASES).updateOne(Filters.and(Filters.eq("_id", alias), Filters.eq("room_id", from)),
                Updates.set("room_id", to)).getModifiedCount() == 1;
    }

    Document findAlias(MongoDatabase db, String alias) {
        return db.getCollection(ALIASES).find(Filters.eq("_id", alias)).first();
    }

    boolean deleteAlias(MongoDatabase db, String alias) {
        return db.getCollection(ALIASES).deleteOne(Filters.eq("_id", alias)).getDeletedCount() == 1;
    }

    List<String> aliases(MongoDatabase db, String roomId) {
        List<String> aliases = new ArrayList<>();
        db.getCollection(ALIASES).find(Filters.eq("room_id", roomId)).sort(Sorts.ascending("_id"))
                .forEach(d -> aliases.add(d.getString("_id")));
        return aliases;
    }

    // transaction ids

    static String txnId(String userId, String deviceId, String txnId) {
        return userId + "\u0001" + deviceId + "\u0001" + txnId;
    }

    String findTxn(MongoDatabase db, String key) {
        Document d = db.getCollection(TXNS).find(Filters.eq("_id", key)).first();
        return d == null ? null : d.getString("event_id");
    }

    void putTxn(MongoDatabase db, String key, String roomId, String eventId) {
        try {
            db.getCollection(TXNS).insertOne(new Document("_id", key).append("room_id", roomId).append("event_id", eventId));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    // forgotten rooms

    void forget(MongoDatabase db, String userId, String roomId) {
        try {
            db.getCollection(FORGOTTEN).insertOne(new Document("_id", userId + "\u0001" + roomId).append("room_id", roomId)
                    .append("user_id", userId));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    void unforget(MongoDatabase db, String userId, String roomId) {
        db.getCollection(FORGOTTEN).deleteOne(Filters.eq("_id", userId + "\u0001" + roomId));
    }

    boolean isForgotten(MongoDatabase db, String userId, String roomId) {
        return db.getCollection(FORGOTTEN).find(Filters.eq("_id", userId + "\u0001" + roomId)).first() != null;
    }

    private static MongoCollection<Document> rooms(MongoDatabase db) {
        return db.getCollection(ROOMS);
    }
}
