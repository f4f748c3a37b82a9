package de.tim.homeserver.notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #COUNTS} (one document per (user, room), {@code _id} derived from both: the user's unread
 * notifications of the room as entries {@code {p: position, h: 0|1, t: thread, ts}}, so {@code /sync} reads a
 * room's counts with one lookup by id) and {@value #RECOUNTS} (per (user, room) the position up to which a
 * {@code /sync} answered counts before the evaluation had reached it; the user's next sync answers the room's
 * counts again once the evaluation got there). Entries are added and removed idempotently: an entry is added
 * only if no entry of its position exists, and reading removes every entry up to a position.
 */
@Component
class UnreadCountRepository implements DomainStorage {

    static final String COUNTS = "notification_counts";
    static final String RECOUNTS = "notification_recounts";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COUNTS).createIndex(Indexes.ascending("user_id"));
        database.getCollection(RECOUNTS).createIndex(Indexes.ascending("user_id"));
        database.getCollection(RECOUNTS).createIndex(Indexes.ascending("room_id"));
    }

    private static MongoCollection<Document> counts(MongoDatabase database) {
        return database.getCollection(COUNTS);
    }

    private static String id(String userId, String roomId) {
        return userId + "|" + roomId;
    }

    /** Adds an unread notification at {@code pos} unless the room has one at that position already. */
    void add(MongoDatabase database, String userId, String roomId, long pos, boolean highlight, String thread, long ts) {
        Document entry = new Document("p", pos).append("h", highlight ? 1 : 0).append("t", thread).append("ts", ts);
        try {
            counts(database).updateOne(Filters.and(Filters.eq("_id", id(userId, roomId)), Filters.ne("unread.p", pos)),
                    Updates.combine(Updates.push("unread", entry), Updates.setOnInsert("user_id", userId),
                            Updates.setOnInsert("room_id", roomId)), new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // the document exists and holds the entry already
        }
    }

    /** Removes the unread notifications up to {@code upTo}: of one thread, or of all when {@code thread} is null. */
    void read(MongoDatabase database, String userId, String roomId, String thread, long upTo) {
        Document condition = new Document("p", new Document("$lte", upTo));
        if (thread != null) {
            condition.append("t", thread);
        }
        counts(database).updateOne(Filters.eq("_id", id(userId, roomId)), Updates.pull("unread", condition));
    }

    /**
     * {@code [notification_count, highlight_count]} of the user in the room per thread (thread root id, or
     * {@code main} for the main timeline); empty when nothing is unread.
     */
    Map<String, long[]> unreadByThread(MongoDatabase database, String userId, String roomId) {
        Document d = counts(database).find(Filters.eq("_id", id(userId, roomId))).first();
        Map<String, long[]> byThread = new LinkedHashMap<>();
        if (d != null) {
            for (Document entry : d.getList("unread", Document.class, List.of())) {
                String thread = entry.getString("t");
                long[] unread = byThread.computeIfAbsent(thread == null ? NotificationService.MAIN_TIMELINE : thread, t -> new long[2]);
                unread[0]++;
                unread[1] += ((Number) entry.get("h")).longValue();
            }
        }
        return byThread;
    }

    /** Unread notifications of the user in all rooms. */
    long unreadTotal(MongoDatabase database, String userId) {
        long total = 0;
        for (Document d : counts(database).find(Filters.eq("user_id", userId))) {
            total += d.getList("unread", Document.class, List.of()).size();
        }
        return total;
    }

    /** Forgets unread entries stored before {@code ts} (their notifications expired). */
    void deleteOlderThan(MongoDatabase database, long ts) {
        counts(database).updateMany(Filters.lt("unread.ts", ts), Updates.pull("unread", new Document("ts", new Document("$lt", ts))));
    }

    /** Records that a sync answered the room's counts before the evaluation reached {@code until}. */
    void recountLater(MongoDatabase database, String userId, String roomId, long until) {
        database.getCollection(RECOUNTS).updateOne(Filters.eq("_id", id(userId, roomId)),
                Updates.combine(Updates.set("user_id", userId), Updates.set("room_id", roomId), Updates.max("until", until)),
                new UpdateOptions().upsert(true));
    }

    /** The user's open recounts: room id and the position the evaluation must reach. */
    List<Document> recounts(MongoDatabase database, String userId) {
        return database.getCollection(RECOUNTS).find(Filters.eq("user_id", userId)).into(new ArrayList<>());
    }

    /** Whether any user waits for a recount of one of the rooms. */
    boolean anyRecount(MongoDatabase database, List<String> roomIds) {
        return database.getCollection(RECOUNTS).find(Filters.in("room_id", roomIds)).first() != null;
    }

    /** Removes a recount unless it was raised past {@code until} meanwhile. */
    void recounted(MongoDatabase database, String userId, String roomId, long until) {
        Bson filter = Filters.and(Filters.eq("_id", id(userId, roomId)), Filters.lte("until", until));
        database.getCollection(RECOUNTS).deleteOne(filter);
    }
}
