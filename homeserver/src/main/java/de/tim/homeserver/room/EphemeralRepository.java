package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Repository;

/**
 * Receipts ({@value #RECEIPTS}: latest per room, user, type and thread) and typing notifications
 * ({@value #TYPING}: per room and user with the time it ends), each stamped with a stream position.
 */
@Repository
class EphemeralRepository implements DomainStorage {

    static final String RECEIPTS = "room_receipts";
    static final String TYPING = "room_typing";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(RECEIPTS).createIndex(Indexes.ascending("room_id", "pos"));
        database.getCollection(TYPING).createIndex(Indexes.ascending("room_id", "pos"));
        database.getCollection(TYPING).createIndex(Indexes.ascending("until"));
    }

    void putReceipt(MongoDatabase db, String roomId, String userId, String type, String threadId, String eventId, long ts, long pos) {
        String id = roomId + "\u0001" + userId + "\u0001" + type + "\u0001" + (threadId == null ? "" : threadId);
        Document doc = new Document("_id", id).append("room_id", roomId).append("user_id", userId).append("type", type)
                .append("thread_id", threadId).append("event_id", eventId).append("ts", ts).append("pos", pos);
        db.getCollection(RECEIPTS).replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
    }

    /** Receipts of the rooms changed with {@code after < pos <= upTo} (all when {@code after} is 0). */
    List<Document> receipts(MongoDatabase db, Collection<String> roomIds, long after, long upTo) {
        return db.getCollection(RECEIPTS).find(Filters.and(Filters.in("room_id", roomIds), Filters.gt("pos", after),
                Filters.lte("pos", upTo))).into(new ArrayList<>());
    }

    void putTyping(MongoDatabase db, String roomId, String userId, long until, long pos) {
        String id = roomId + "\u0001" + userId;
        db.getCollection(TYPING).replaceOne(Filters.eq("_id", id), new Document("_id", id).append("room_id", roomId)
                .append("user_id", userId).append("until", until).append("pos", pos), new ReplaceOptions().upsert(true));
    }

    List<Document> typingChanged(MongoDatabase db, Collection<String> roomIds, long after, long upTo) {
        return db.getCollection(TYPING).find(Filters.and(Filters.in("room_id", roomIds), Filters.gt("pos", after),
                Filters.lte("pos", upTo))).into(new ArrayList<>());
    }

    List<Document> typing(MongoDatabase db, String roomId, long now) {
        return db.getCollection(TYPING).find(Filters.and(Filters.eq("room_id", roomId), Filters.gt("until", now)))
                .into(new ArrayList<>());
    }

    /** Typing notifications whose time ran out but that still count as typing. */
    List<Document> expiredTyping(MongoDatabase db, long now) {
        return db.getCollection(TYPING).find(Filters.and(Filters.gt("until", 0L), Filters.lte("until", now)))
                .into(new ArrayList<>());
    }

    /** Marks an expired typing notification as stopped (only if unchanged since it was read). */
    boolean stopTyping(MongoDatabase db, Document typing, long pos) {
        return db.getCollection(TYPING).updateOne(Filters.and(Filters.eq("_id", typing.get("_id")),
                Filters.eq("until", typing.get("until"))), new Document("$set", new Document("until", 0L).append("pos", pos)))
                .getModifiedCount() == 1;
    }

    /** Typing changes of all rooms with {@code after < pos <= upTo}. */
    List<Document> typingAfter(MongoDatabase db, long after, long upTo) {
        return db.getCollection(TYPING).find(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo)))
                .into(new ArrayList<>());
    }

    /** Receipts of all rooms changed with {@code after < pos <= upTo}. */
    List<Document> receiptsAfter(MongoDatabase db, long after, long upTo) {
        return db.getCollection(RECEIPTS).find(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo)))
                .into(new ArrayList<>());
    }

    void deleteRoom(MongoDatabase db, String roomId) {
        db.getCollection(RECEIPTS).deleteMany(Filters.eq("room_id", roomId));
        db.getCollection(TYPING).deleteMany(Filters.eq("room_id", roomId));
    }
}
