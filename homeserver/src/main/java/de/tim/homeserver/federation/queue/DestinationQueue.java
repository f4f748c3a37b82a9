package de.tim.homeserver.federation.queue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The collection code shared by the persisted per-destination queues (PDUs: {@link OutboundQueueRepository}, reliable
 * EDUs: {@code federation.edu.OutboundEduRepository}), each of which owns its collections and names them here: entries
 * with a {@code destination} and an ordering field, enqueued idempotently by id, read per destination oldest first,
 * deleted by id once the destination acknowledged them; and a cursor collection ({@code _id} = source stream,
 * {@code pos}) recording how far a source stream has been scanned into the queue.
 */
public final class DestinationQueue {

    private final String collection;
    private final String order;
    private final String cursors;

    /**
     * @param collection the queue collection
     * @param order      the field that orders a destination's entries (oldest first)
     * @param cursors    the collection of the source streams' cursors
     */
    public DestinationQueue(String collection, String order, String cursors) {
        this.collection = collection;
        this.order = order;
        this.cursors = cursors;
    }

    private MongoCollection<Document> queue(MongoDatabase db) {
        return db.getCollection(collection);
    }

    /** Creates the (destination, order) index; called by the owning repository at start-up. */
    public void initialize(MongoDatabase db) {
        queue(db).createIndex(Indexes.ascending("destination", order));
    }

    /** Queues an entry unless one with this id exists (then it is kept as it is). */
    public void enqueue(MongoDatabase db, String id, String destination, Map<String, Object> fields) {
        List<Bson> inserts = new ArrayList<>();
        inserts.add(Updates.setOnInsert("destination", destination));
        fields.forEach((name, value) -> inserts.add(Updates.setOnInsert(name, value)));
        queue(db).updateOne(Filters.eq("_id", id), Updates.combine(inserts), new UpdateOptions().upsert(true));
    }

    /** Destinations with queued entries. */
    public List<String> destinations(MongoDatabase db) {
        List<String> result = new ArrayList<>();
        queue(db).aggregate(List.of(new Document("$group", new Document("_id", "$destination"))))
                .forEach(d -> result.add(d.getString("_id")));
        return result;
    }

    /** The destination's oldest entries. */
    public List<Document> oldest(MongoDatabase db, String destination, int limit) {
        return queue(db).find(Filters.eq("destination", destination)).sort(Sorts.ascending(order)).limit(limit)
                .into(new ArrayList<>());
    }

    /** Deletes entries by id (delivered, or dropped). */
    public void remove(MongoDatabase db, Collection<String> ids) {
        queue(db).deleteMany(Filters.in("_id", ids));
    }

    /** How far {@code stream} has been scanned into the queue, or -1 before its first scan. */
    public long cursor(MongoDatabase db, String stream) {
        Document doc = db.getCollection(cursors).find(Filters.eq("_id", stream)).first();
        return doc == null ? -1 : doc.getLong("pos");
    }

    public void setCursor(MongoDatabase db, String stream, long pos) {
        db.getCollection(cursors).replaceOne(Filters.eq("_id", stream), new Document("_id", stream).append("pos", pos),
                new ReplaceOptions().upsert(true));
    }
}
