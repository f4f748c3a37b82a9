package de.tim.homeserver.federation.edu;

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

    @Override
    public void initialize(MongoDatabase database) {
        queue(database).createIndex(Indexes.ascending("destination", "seq"));
        queue(database).createIndex(Indexes.ascending("created_ts"));
    }

    private static MongoCollection<Document> queue(MongoDatabase db) {
        return db.getCollection(QUEUE);
    }

    /** Idempotent: an entry with this key for the destination is kept as it is. */
    void enqueue(MongoDatabase db, String destination, String key, long seq, String type, String contentJson) {
        queue(db).updateOne(Filters.eq("_id", destination + "\n" + key), Updates.combine(
                Updates.setOnInsert("destination", destination), Updates.setOnInsert("seq", seq),
                Updates.setOnInsert("edu_type", type), Updates.setOnInsert("content", contentJson),
                Updates.setOnInsert("created_ts", System.currentTimeMillis())), new UpdateOptions().upsert(true));
    }

    /** Destinations with queued EDUs. */
    List<String> destinations(MongoDatabase db) {
        List<String> result = new ArrayList<>();
        queue(db).aggregate(List.of(new Document("$group", new Document("_id", "$destination"))))
                .forEach(d -> result.add(d.getString("_id")));
        return result;
    }

    /** The oldest entries of a destination. */
    List<Entry> oldest(MongoDatabase db, String destination, int limit) {
        List<Entry> result = new ArrayList<>();
        queue(db).find(Filters.eq("destination", destination)).sort(Sorts.ascending("seq")).limit(limit)
                .forEach(d -> result.add(new Entry(d.getString("_id"), d.getLong("seq"), d.getString("edu_type"),
                        d.getString("content"))));
        return result;
    }

    void remove(MongoDatabase db, List<Entry> entries) {
        queue(db).deleteMany(Filters.in("_id", entries.stream().map(Entry::id).toList()));
    }

    /** Deletes entries queued before {@code ts}; how many. */
    long deleteCreatedBefore(MongoDatabase db, long ts) {
        return queue(db).deleteMany(Filters.lt("created_ts", ts)).getDeletedCount();
    }

    /** The cursor of a source stream, or -1 before the first scan. */
    long cursor(MongoDatabase db, String stream) {
        Document doc = db.getCollection(CURSORS).find(Filters.eq("_id", stream)).first();
        return doc == null ? -1 : doc.getLong("pos");
    }

    void setCursor(MongoDatabase db, String stream, long pos) {
        db.getCollection(CURSORS).replaceOne(Filters.eq("_id", stream), new Document("_id", stream).append("pos", pos),
                new ReplaceOptions().upsert(true));
    }
}
