package de.tim.homeserver.federation.queue;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: per destination the number of consecutive failures and the time
 * before which it is not tried again (exponential backoff); absent while the destination is healthy.
 */
@Component
class DestinationRepository implements DomainStorage {

    static final String COLLECTION = "federation_destinations";

    /** Backoff state of a destination. */
    record Backoff(int failures, long retryAt) {
        static final Backoff NONE = new Backoff(0, 0);
    }

    @Override
    public void initialize(MongoDatabase database) {
        // keyed by _id only
    }

    private static MongoCollection<Document> destinations(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    Backoff backoff(MongoDatabase db, String destination) {
        Document doc = destinations(db).find(Filters.eq("_id", destination)).first();
        return doc == null ? Backoff.NONE : new Backoff(doc.getInteger("failures", 0), doc.getLong("retry_at"));
    }

    void failed(MongoDatabase db, String destination, Backoff backoff) {
        destinations(db).replaceOne(Filters.eq("_id", destination), new Document("_id", destination)
                .append("failures", backoff.failures()).append("retry_at", backoff.retryAt()), new ReplaceOptions().upsert(true));
    }

    void succeeded(MongoDatabase db, String destination) {
        destinations(db).deleteOne(Filters.eq("_id", destination));
    }
}
