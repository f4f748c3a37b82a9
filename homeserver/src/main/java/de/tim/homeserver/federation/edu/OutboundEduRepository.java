package de.tim.homeserver.federation.edu;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.federation.queue.DestinationQueue;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * The persisted queue of EDUs that must not be lost ({@value #QUEUE}): one entry per (destination, EDU)
 * with an id derived from what the EDU is (to-device: sender and message id; device list update: user and
 * stream id), so enqueueing again is a no-op; {@code seq} orders a destination's EDUs. Entries are deleted
 * once the destination acknowledged the transaction carrying them. {@value #CURSORS}: how far a source
 * stream (the device list stream) has been scanned into the queue.
 */
@Component
class OutboundEduRepository implements DomainStorage {

    static final String QUEUE = "federation_outbound_edus";
    static final String CURSORS = "federation_outbound_edu_cursors";

    /** A queued EDU. */
    record Entry(String id, long seq, String type, String content) {
    }

    private final DestinationQueue shared = new DestinationQueue(QUEUE, "seq", CURSORS);

    @Override
    public void initialize(MongoDatabase database) {
        shared.initialize(database);
        queue(database).createIndex(Indexes.ascending("created_ts"));
    }

    private static MongoCollection<Document> queue(MongoDatabase db) {
        return db.getCollection(QUEUE);
    }

    /** Idempotent: an entry with this key for the destination is kept as it is. */
    void enqueue(MongoDatabase db, String destination, String key, long seq, String type, String contentJson) {
        shared.enqueue(db, destination + "\n" + key, destination, Map.of("seq", seq, "edu_type", type, "content", contentJson,
                "created_ts", System.currentTimeMillis()));
    }

    /** Destinations with queued EDUs. */
    List<String> destinations(MongoDatabase db) {
        return shared.destinations(db);
    }

    /** The oldest entries of a destination. */
    List<Entry> oldest(MongoDatabase db, String destination, int limit) {
        return shared.oldest(db, destination, limit).stream().map(d -> new Entry(d.getString("_id"), d.getLong("seq"),
                d.getString("edu_type"), d.getString("content"))).toList();
    }

    void remove(MongoDatabase db, List<Entry> entries) {
        shared.remove(db, entries.stream().map(Entry::id).toList());
    }

    /** Deletes entries queued before {@code ts}; how many. */
    long deleteCreatedBefore(MongoDatabase db, long ts) {
        return queue(db).deleteMany(Filters.lt("created_ts", ts)).getDeletedCount();
    }

    /** The cursor of a source stream, or -1 before the first scan. */
    long cursor(MongoDatabase db, String stream) {
        return shared.cursor(db, stream);
    }

    void setCursor(MongoDatabase db, String stream, long pos) {
        shared.setCursor(db, stream, pos);
    }
}
