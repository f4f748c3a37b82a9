package de.tim.homeserver.federation.queue;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
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

    private static final String EVENTS = "events";
    private final DestinationQueue shared = new DestinationQueue(QUEUE, "pos", CURSOR);

    @Override
    public void initialize(MongoDatabase database) {
        shared.initialize(database);
    }

    private static MongoCollection<Document> queue(MongoDatabase db) {
        return db.getCollection(QUEUE);
    }

    long cursor(MongoDatabase db) {
        return shared.cursor(db, EVENTS);
    }

    void setCursor(MongoDatabase db, long pos) {
        shared.setCursor(db, EVENTS, pos);
    }

    void enqueue(MongoDatabase db, String destination, long pos, String eventId) {
        shared.enqueue(db, destination + " " + String.format("%019d", pos), destination,
                Map.of("pos", pos, "event_id", eventId, "queued_ts", System.currentTimeMillis()));
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
        return shared.destinations(db);
    }

    /** The oldest entries of a destination. */
    List<Entry> oldest(MongoDatabase db, String destination, int limit) {
        return shared.oldest(db, destination, limit).stream()
                .map(d -> new Entry(d.getString("_id"), destination, d.getLong("pos"), d.getString("event_id"))).toList();
    }

    void remove(MongoDatabase db, List<Entry> entries) {
        shared.remove(db, entries.stream().map(Entry::id).toList());
    }
}
