package de.tim.homeserver.notification;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #NOTIFICATIONS} (one document per notified (user, event), {@code _id} derived from
 * both, so a redelivered event never counts twice; no content, only ids, position, actions and flags) and
 * {@value #READ_UP_TO} (per (user, room) the stream position the user has read up to) and {@value #EVALUATED_UP_TO}
 * (per room the position up to which the Kafka evaluation finished every event of the room).
 */
@Component
class NotificationRepository implements DomainStorage {

    static final String NOTIFICATIONS = "notifications";
    static final String READ_UP_TO = "notification_read_up_to";
    static final String EVALUATED_UP_TO = "notification_evaluated_up_to";
    static final String EVALUATED_EVENTS = "notification_evaluated_events";

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> notifications = notifications(database);
        notifications.createIndex(Indexes.compoundIndex(Indexes.ascending("user_id"), Indexes.descending("pos")));
        notifications.createIndex(Indexes.ascending("user_id", "room_id", "read", "pos"));
        notifications.createIndex(Indexes.ascending("room_id"));
        notifications.createIndex(Indexes.ascending("ts"));
        database.getCollection(EVALUATED_EVENTS).createIndex(Indexes.ascending("ts"));
        database.getCollection(READ_UP_TO).createIndex(Indexes.ascending("user_id"), new IndexOptions());
    }

    private static MongoCollection<Document> notifications(MongoDatabase database) {
        return database.getCollection(NOTIFICATIONS);
    }

    static String id(String userId, String eventId) {
        return userId + "|" + eventId;
    }

    /** Stores the notification unless it exists (idempotent: the first evaluation's document stays). */
    void insert(MongoDatabase database, String userId, String roomId, String eventId, String thread, long pos, long ts,
            String actions, boolean highlight) {
        Bson set = Updates.combine(Updates.setOnInsert("user_id", userId), Updates.setOnInsert("room_id", roomId),
                Updates.setOnInsert("event_id", eventId), Updates.setOnInsert("thread", thread), Updates.setOnInsert("pos", pos), Updates.setOnInsert("ts", ts),
                Updates.setOnInsert("actions", actions), Updates.setOnInsert("highlight", highlight ? 1 : 0),
                Updates.setOnInsert("read", false));
        try {
            notifications(database).updateOne(Filters.eq("_id", id(userId, eventId)), set, new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /**
     * Marks the user's notifications of the room with position ≤ {@code upTo} as read: of one thread ({@code main}
     * for the main timeline), or of all when {@code thread} is null.
     */
    void markRead(MongoDatabase database, String userId, String roomId, String thread, long upTo) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("user_id", userId), Filters.eq("room_id", roomId),
                Filters.eq("read", false), Filters.lte("pos", upTo)));
        if (thread != null) {
            filters.add(Filters.eq("thread", thread));
        }
        notifications(database).updateMany(Filters.and(filters), Updates.set("read", true));
    }

    private static String readId(String userId, String roomId, String thread) {
        return id(userId, roomId) + (thread == null ? "" : "|" + thread);
    }

    /** Raises the user's read position in the room (or one thread of it) to {@code pos} (never lowers it). */
    void raiseReadUpTo(MongoDatabase database, String userId, String roomId, String thread, long pos) {
        raise(database.getCollection(READ_UP_TO), readId(userId, roomId, thread), pos,
                Updates.combine(Updates.set("pos", pos), Updates.set("user_id", userId), Updates.set("room_id", roomId)));
    }

    /** Raises the room's evaluated position to {@code pos} (never lowers it). */
    void raiseEvaluatedUpTo(MongoDatabase database, String roomId, long pos) {
        raise(database.getCollection(EVALUATED_UP_TO), roomId, pos, Updates.set("pos", pos));
    }

    /** Position of the last event of the room the evaluation finished; -1 if none. */
    long evaluatedUpTo(MongoDatabase database, String roomId) {
        Document d = database.getCollection(EVALUATED_UP_TO).find(Filters.eq("_id", roomId)).first();
        return d == null ? -1 : d.getLong("pos");
    }

    private static void raise(MongoCollection<Document> marks, String id, long pos, Bson update) {
        try {
            marks.updateOne(Filters.and(Filters.eq("_id", id), Filters.lt("pos", pos)), update, new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // exists with a position ≥ pos
        }
    }

    long readUpTo(MongoDatabase database, String userId, String roomId, String thread) {
        Document d = database.getCollection(READ_UP_TO).find(Filters.eq("_id", readId(userId, roomId, thread))).first();
        return d == null ? -1 : d.getLong("pos");
    }

    /** The user's notifications with position {@code < before}, newest first. */
    List<Document> page(MongoDatabase database, String userId, long before, int limit, boolean onlyHighlight) {
        List<Bson> filters = new ArrayList<>(List.of(Filters.eq("user_id", userId), Filters.lt("pos", before)));
        if (onlyHighlight) {
            filters.add(Filters.eq("highlight", 1));
        }
        return notifications(database).find(Filters.and(filters)).sort(Sorts.descending("pos")).limit(limit)
                .into(new ArrayList<>());
    }

    /** Deletes notifications stored before {@code ts}; returns how many. */
    long deleteOlderThan(MongoDatabase database, long ts) {
        return notifications(database).deleteMany(Filters.lt("ts", ts)).getDeletedCount();
    }

    /** Records that the event's evaluation and its push records are complete (redelivered copies are skipped). */
    void markEvaluated(MongoDatabase database, String eventId, long ts) {
        database.getCollection(EVALUATED_EVENTS).updateOne(Filters.eq("_id", eventId), Updates.setOnInsert("ts", ts),
                new UpdateOptions().upsert(true));
    }

    /** Those of the events whose evaluation is complete. */
    Set<String> evaluatedAmong(MongoDatabase database, Collection<String> eventIds) {
        Set<String> done = new HashSet<>();
        if (!eventIds.isEmpty()) {
            database.getCollection(EVALUATED_EVENTS).find(Filters.in("_id", eventIds)).projection(Projections.include("_id"))
                    .forEach(d -> done.add(d.getString("_id")));
        }
        return done;
    }

    boolean isEvaluated(MongoDatabase database, String eventId) {
        return database.getCollection(EVALUATED_EVENTS).find(Filters.eq("_id", eventId)).first() != null;
    }

    /** Forgets completed evaluations recorded before {@code ts}. */
    void deleteEvaluatedBefore(MongoDatabase database, long ts) {
        database.getCollection(EVALUATED_EVENTS).deleteMany(Filters.lt("ts", ts));
    }

    void delete(MongoDatabase database, String id) {
        notifications(database).deleteOne(Filters.eq("_id", id));
    }
}
