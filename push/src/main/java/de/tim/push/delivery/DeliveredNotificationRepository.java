package de.tim.push.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/**
 * Record ids ({@code PushNotificationRecord.id}: event id + pushkey + app id) the worker has delivered, stored as
 * SHA-256 so no pushkey is kept in clear. Entries expire through {@link #expire(Instant)}.
 */
class DeliveredNotificationRepository {

    static final String COLLECTION = "push_delivery_done";

    private final MongoCollection<Document> collection;

    DeliveredNotificationRepository(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
        collection.createIndex(Indexes.ascending("deliveredAt"));
    }

    static String key(String recordId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(recordId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isDelivered(String recordId) {
        return collection.find(Filters.eq("_id", key(recordId))).first() != null;
    }

    void markDelivered(String recordId, Instant now) {
        collection.replaceOne(Filters.eq("_id", key(recordId)),
                new Document("_id", key(recordId)).append("deliveredAt", Date.from(now)), new ReplaceOptions().upsert(true));
    }

    long expire(Instant before) {
        return collection.deleteMany(Filters.lt("deliveredAt", Date.from(before))).getDeletedCount();
    }
}
