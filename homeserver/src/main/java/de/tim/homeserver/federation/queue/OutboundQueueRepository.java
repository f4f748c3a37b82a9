package de.tim.homeserver.federation.queue;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The persisted outbound queue of a domain. {@value #QUEUE}: one entry per (destination, event) with
 * the event's stream position, deleted once the destination acknowledged the transaction carrying it.
 * {@value #CURSOR}: how far the domain's event stream has been scanned into the queue. Enqueueing is an
 * upsert by id and the cursor moves after it, so a crash between the two only enqueues again. Each entry carries
 * {@code queued_ts}, by which {@link OutboundQueueTrimmer} drops what a destination has not taken for too long.
 */
@Component
class OutboundQueueRepository implements DomainStorage {

    static final String QUEUE = "federation_outbound_queue";
    static final String CURSOR = "federation_outbound_cursor";

    /** A queued event for a destination. */
    record Entry(String id, String destination, long pos, String eventId) {
    }

    @Override
    public void initialize(MongoDatabase database) {
        queue(database).createIndex(Indexes.ascending("destination", "pos"));
    }

    private static MongoCollection<Document> queue(MongoDatabase db) {
        return db.getCollection(QUEUE);
    }

    long cursor(MongoDatabase db) {
        Document doc = db.getCollection(CURSOR).find(Filters.eq("_id", "events")).first();
        return doc == null ? -1 : doc.getLong("pos");
    }

    void setCursor(MongoDatabase db, long pos) {
        db.getCollection(CURSOR).replaceOne(Filters.eq("_id", "events"), new Document("_id", "events").append("pos", pos),
                new ReplaceOptions().upsert(true));
    }

    void enqueue(MongoDatabase db, String destination, long pos, String eventId) {
        String id = destination + " " + String.format("%019d", pos);
        queue(db).updateOne(Filters.eq("_id", id), Updates.combine(Updates.setOnInsert("destination", destination),
                Updates.setOnInsert("pos", pos), Updates.setOnInsert("event_id", eventId),
                Updates.setOnInsert("queued_ts", System.currentTimeMillis())), new UpdateOptions().upsert(true));
    }

    /** Entries queued before {@code queued_ts} was recorded start ageing now. */
    void stampUndated(MongoDatabase db, long now) {
        queue(db).updateMany(Filters.exists("queued_ts", false), Updates.set("queued_ts", now));
    }

    /** Drops the destination's entries queued before {@code cutoff}; how many. */
    long dropOlderThan(MongoDatabase db, String destination, long cutoff) {
        return queue(db).deleteMany(Filters.and(Filters.eq("destination", destination), Filters.lt("queued_ts", cutoff)))
                .getDeletedCount();
    }

    /** Drops the destination's oldest entries beyond the newest {@code keep}; how many. */
    long dropOldestBeyond(MongoDatabase db, String destination, int keep) {
        long count = queue(db).countDocuments(Filters.eq("destination", destination));
        if (count <= keep) {
            return 0;
        }
        Document last = queue(db).find(Filters.eq("destination", destination)).sort(Sorts.ascending("pos"))
                .skip((int) Math.min(Integer.MAX_VALUE, count - keep - 1)).limit(1).first();
        if (last == null) {
            return 0;
        }
        return queue(db).deleteMany(Filters.and(Filters.eq("destination", destination),
                Filters.lte("pos", last.getLong("pos")))).getDeletedCount();
    }

    /** Destinations with queued events. */
    List<String> destinations(MongoDatabase db) {
        List<String> result = new ArrayList<>();
        queue(db).aggregate(List.of(new Document("$group", new Document("_id", "$destination"))))
                .forEach(d -> result.add(d.getString("_id")));
        return result;
    }

    /** The oldest entries of a destination. */
    List<Entry> oldest(MongoDatabase db, String destination, int limit) {
        List<Entry> result = new ArrayList<>();
        queue(db).find(Filters.eq("destination", destination)).sort(Sorts.ascending("pos")).limit(limit)
                .forEach(d -> result.add(new Entry(d.getString("_id"), destination, d.getLong("pos"), d.getString("event_id"))));
        return result;
    }

    void remove(MongoDatabase db, List<Entry> entries) {
        queue(db).deleteMany(Filters.in("_id", entries.stream().map(Entry::id).toList()));
    }
}
