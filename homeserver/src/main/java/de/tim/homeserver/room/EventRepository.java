package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Repository;

/**
 * Collection {@value #EVENTS}: every persisted room event as its full signed PDU (canonical JSON text),
 * with its stream position ({@code pos}), the state groups before and after it, relation fields, the
 * redaction applied to it and the outbox flag {@code unpublished} (set until Kafka acknowledged it).
 * Events of purged rooms remain as tombstones of their position only. History learnt by backfill has negative
 * positions ({@link BackfillImport}): below the stream, never covered by its watermark.
 */
@Repository
class EventRepository implements DomainStorage {

    static final String EVENTS = "room_events";

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> events = database.getCollection(EVENTS);
        events.createIndex(Indexes.ascending("room_id", "pos"));
        events.createIndex(Indexes.ascending("pos"), new IndexOptions().unique(true));
        events.createIndex(Indexes.ascending("room_id", "state_key", "type"));
        events.createIndex(Indexes.ascending("rel_event"));
        events.createIndex(Indexes.ascending("unpublished"));
        events.createIndex(Indexes.ascending("redacts"), new IndexOptions().sparse(true));
    }

    /** Inserts the event; false if it exists already (replay). */
    boolean insert(MongoDatabase db, Document event) {
        try {
            events(db).insertOne(event);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Document find(MongoDatabase db, String eventId) {
        return events(db).find(Filters.eq("_id", eventId)).first();
    }

    List<Document> findAll(MongoDatabase db, Collection<String> eventIds) {
        return events(db).find(Filters.in("_id", eventIds)).into(new ArrayList<>());
    }

    /** Events of a room with {@code after < pos <= upTo}, ascending ({@code forward}) or descending, at most {@code limit}. */
    List<Document> range(MongoDatabase db, String roomId, long after, long upTo, boolean forward, int limit) {
        return events(db).find(Filters.and(Filters.eq("room_id", roomId), Filters.gt("pos", after), Filters.lte("pos", upTo)))
                .sort(forward ? Sorts.ascending("pos") : Sorts.descending("pos")).limit(limit).into(new ArrayList<>());
    }

    /** Events of all rooms (and purge tombstones) with {@code after < pos <= upTo}, ascending. */
    List<Document> between(MongoDatabase db, long after, long upTo) {
        return events(db).find(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo))).sort(Sorts.ascending("pos"))
                .into(new ArrayList<>());
    }

    /** The room's last event of the stream (not backfilled history) at or before {@code pos}. */
    Document lastAtOrBefore(MongoDatabase db, String roomId, long pos) {
        return events(db).find(Filters.and(Filters.eq("room_id", roomId), Filters.gt("pos", 0L), Filters.lte("pos", pos)))
                .sort(Sorts.descending("pos")).first();
    }

    /** Position of the user's latest join event in the room; -1 if none. */
    long lastJoinPos(MongoDatabase db, String roomId, String userId) {
        Document d = events(db).find(Filters.and(Filters.eq("room_id", roomId), Filters.eq("state_key", userId),
                Filters.eq("type", "m.room.member"), Filters.eq("membership", "join"))).sort(Sorts.descending("pos")).first();
        return d == null ? -1 : d.getLong("pos");
    }

    /** Room ids having events with {@code after < pos <= upTo} among the given rooms. */
    List<String> roomsWithEvents(MongoDatabase db, Collection<String> roomIds, long after, long upTo) {
        List<String> rooms = new ArrayList<>();
        events(db).aggregate(List.of(
                new Document("$match", new Document("room_id", new Document("$in", new ArrayList<>(roomIds)))
                        .append("pos", new Document("$gt", after).append("$lte", upTo))),
                new Document("$group", new Document("_id", "$room_id")))).forEach(d -> rooms.add(d.getString("_id")));
        return rooms;
    }

    List<Document> relations(MongoDatabase db, String eventId, Bson extra, boolean forward, long from, int limit) {
        Bson filter = Filters.and(Filters.eq("rel_event", eventId), forward ? Filters.gt("pos", from) : Filters.lte("pos", from), extra);
        return events(db).find(filter).sort(forward ? Sorts.ascending("pos") : Sorts.descending("pos")).limit(limit)
                .into(new ArrayList<>());
    }

    /** Redaction events stored here that name {@code eventId} as their target. */
    List<Document> redactionsOf(MongoDatabase db, String eventId) {
        return events(db).find(Filters.eq("redacts", eventId)).into(new ArrayList<>());
    }

    void setRedactedBy(MongoDatabase db, String eventId, String redactionId) {
        events(db).updateOne(Filters.and(Filters.eq("_id", eventId), Filters.eq("redacted_by", null)),
                Updates.set("redacted_by", redactionId));
    }

    /** Outbox: events not yet acknowledged by Kafka, oldest first. */
    List<Document> unpublished(MongoDatabase db, int limit) {
        return events(db).find(Filters.eq("unpublished", true)).sort(Sorts.ascending("pos")).limit(limit).into(new ArrayList<>());
    }

    void markPublished(MongoDatabase db, String eventId) {
        events(db).updateOne(Filters.eq("_id", eventId), Updates.unset("unpublished"));
    }

    /** Number of events with {@code after < pos <= upTo} (for the visibility watermark). */
    long countBetween(MongoDatabase db, long after, long upTo) {
        return events(db).countDocuments(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo)));
    }

    /** The lowest position in {@code (after, upTo]} with no event, scanning ascending; -1 if none is missing. */
    long firstGap(MongoDatabase db, long after, long upTo) {
        long expected = after + 1;
        for (Document d : events(db).find(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo)))
                .projection(new Document("pos", 1)).sort(Sorts.ascending("pos"))) {
            long pos = d.getLong("pos");
            if (pos != expected) {
                return expected;
            }
            expected++;
        }
        return expected <= upTo ? expected : -1;
    }

    long maxPos(MongoDatabase db) {
        Document d = events(db).find().projection(new Document("pos", 1)).sort(Sorts.descending("pos")).first();
        return d == null ? 0 : d.getLong("pos");
    }

    long countRoom(MongoDatabase db, String roomId) {
        return events(db).countDocuments(Filters.eq("room_id", roomId));
    }

    /**
     * Purges a room's events down to tombstones ({@code _id}, {@code pos}, {@code purged}): content,
     * room and sender are gone, while the stream positions stay dense so the read watermark does not
     * mistake purged positions for appends in flight.
     */
    void purgeRoom(MongoDatabase db, String roomId) {
        List<Bson> unset = new ArrayList<>();
        for (String field : List.of("room_id", "version", "type", "state_key", "sender", "ts", "depth", "sg_before",
                "sg_after", "pdu", "unpublished", "membership", "rel_event", "rel_type", "txn", "redacted_by", "redacts")) {
            unset.add(Updates.unset(field));
        }
        unset.add(Updates.set("purged", true));
        events(db).updateMany(Filters.eq("room_id", roomId), Updates.combine(unset));
    }

    /** Events of all rooms with {@code after < pos <= upTo} (not purged), ascending, at most {@code limit}. */
    List<Document> after(MongoDatabase db, long after, long upTo, int limit) {
        return events(db).find(Filters.and(Filters.gt("pos", after), Filters.lte("pos", upTo)))
                .sort(Sorts.ascending("pos")).limit(limit).into(new ArrayList<>());
    }

    /** Member events of the rooms with {@code after < pos <= upTo} (room, state key, membership, pos), ascending, at most {@code limit}. */
    List<Document> memberEvents(MongoDatabase db, Collection<String> roomIds, long after, long upTo, int limit) {
        return events(db).find(Filters.and(Filters.in("room_id", roomIds), Filters.gt("pos", after), Filters.lte("pos", upTo),
                Filters.eq("type", "m.room.member"))).projection(new Document("room_id", 1).append("state_key", 1)
                .append("membership", 1).append("pos", 1)).sort(Sorts.ascending("pos")).limit(limit).into(new ArrayList<>());
    }

    private static MongoCollection<Document> events(MongoDatabase db) {
        return db.getCollection(EVENTS);
    }
}
