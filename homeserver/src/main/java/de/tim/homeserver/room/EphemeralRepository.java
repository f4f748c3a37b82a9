package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.stream.StreamChangeLog;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.springframework.stereotype.Repository;

/**
 * Receipts ({@value #RECEIPTS}: latest per room, user, type and thread) and typing notifications
 * ({@value #TYPING}: per room and user with the time it ends), each stamped with a stream position. Every
 * write records its position in the {@link StreamChangeLog} afterwards (also a conditional write that changed
 * nothing), so syncs read only up to positions whose writes are visible.
 */
@Repository
class EphemeralRepository implements DomainStorage {

    static final String RECEIPTS = "room_receipts";
    static final String TYPING = "room_typing";

    private final StreamChangeLog changeLog;

    EphemeralRepository(StreamChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    /** Records the write of {@code pos} in the change log; a given-up position moves to a new one if still current. */
    private long written(MongoDatabase db, String collection, String stream, String id, long pos) {
        return changeLog.written(db, stream, pos, (from, to) -> db.getCollection(collection)
                .updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("pos", from)), Updates.set("pos", to)));
    }

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(RECEIPTS).createIndex(Indexes.ascending("room_id", "pos"));
        database.getCollection(TYPING).createIndex(Indexes.ascending("room_id", "pos"));
        database.getCollection(TYPING).createIndex(Indexes.ascending("until"));
    }

    /** Writes the receipt, then records its position; returns the position it finally carries. */
    long putReceipt(MongoDatabase db, String roomId, String userId, String type, String threadId, String eventId, long ts, long pos) {
        String id = roomId + "\u0001" + userId + "\u0001" + type + "\u0001" + (threadId == null ? "" : threadId);
        Document doc = new Document("_id", id).append("room_id", roomId).append("user_id", userId).append("type", type)
                .append("thread_id", threadId).append("event_id", eventId).append("ts", ts).append("pos", pos);
        db.getCollection(RECEIPTS).replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
        return written(db, RECEIPTS, StreamPositions.RECEIPTS, id, pos);
    }

    /** Receipts of the rooms changed with {@code after < pos <= upTo} (all when {@code after} is 0). */
    List<Document> receipts(MongoDatabase db, Collection<String> roomIds, long after, long upTo) {
        return db.getCollection(RECEIPTS).find(Filters.and(Filters.in("room_id", roomIds), Filters.gt("pos", after),
                Filters.lte("pos", upTo))).into(new ArrayList<>());
    }

    /** Writes the typing state, then records its position; returns the position it finally carries. */
    long putTyping(MongoDatabase db, String roomId, String userId, long until, long pos) {
        String id = roomId + "\u0001" + userId;
        db.getCollection(TYPING).replaceOne(Filters.eq("_id", id), new Document("_id", id).append("room_id", roomId)
                .append("user_id", userId).append("until", until).append("pos", pos), new ReplaceOptions().upsert(true));
        return written(db, TYPING, StreamPositions.TYPING, id, pos);
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

    /**
     * Marks an expired typing notification as stopped (only if unchanged since it was read) and records the
     * position either way; true if this call stopped it.
     */
    boolean stopTyping(MongoDatabase db, Document typing, long pos) {
        boolean stopped = db.getCollection(TYPING).updateOne(Filters.and(Filters.eq("_id", typing.get("_id")),
                Filters.eq("until", typing.get("until"))), new Document("$set", new Document("until", 0L).append("pos", pos)))
                .getModifiedCount() == 1;
        written(db, TYPING, StreamPositions.TYPING, (String) typing.get("_id"), pos);
        return stopped;
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
