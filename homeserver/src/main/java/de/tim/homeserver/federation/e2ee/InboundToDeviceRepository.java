package de.tim.homeserver.federation.e2ee;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: the {@code m.direct_to_device} EDUs already queued for our devices, by
 * (origin, sender, message id), with the time they arrived; a replay of one is dropped. Entries older than
 * {@code edu-retention} are deleted by {@link EduRetention}.
 */
@Component
class InboundToDeviceRepository implements DomainStorage {

    static final String COLLECTION = "federation_inbound_to_device";

    @Override
    public void initialize(MongoDatabase database) {
        received(database).createIndex(Indexes.ascending("ts"));
    }

    private static MongoCollection<Document> received(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    private static String id(String origin, String sender, String messageId) {
        return origin + "\n" + sender + "\n" + messageId;
    }

    boolean seen(MongoDatabase db, String origin, String sender, String messageId) {
        return received(db).find(Filters.eq("_id", id(origin, sender, messageId))).first() != null;
    }

    void markSeen(MongoDatabase db, String origin, String sender, String messageId) {
        try {
            received(db).insertOne(new Document("_id", id(origin, sender, messageId)).append("ts", System.currentTimeMillis()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    long deleteBefore(MongoDatabase db, long ts) {
        return received(db).deleteMany(Filters.lt("ts", ts)).getDeletedCount();
    }
}
