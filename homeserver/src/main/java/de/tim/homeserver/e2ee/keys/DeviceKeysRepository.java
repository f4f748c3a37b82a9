package de.tim.homeserver.e2ee.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #DEVICE_KEYS} (one document per device: its signed device keys as JSON text),
 * {@value #ONE_TIME_KEYS} (one document per unclaimed one-time key) and {@value #FALLBACK_KEYS} (one
 * per device and algorithm, with {@code used}).
 */
@Component
class DeviceKeysRepository implements DomainStorage {

    static final String DEVICE_KEYS = "e2ee_device_keys";
    static final String ONE_TIME_KEYS = "e2ee_one_time_keys";
    static final String FALLBACK_KEYS = "e2ee_fallback_keys";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(DEVICE_KEYS).createIndex(Indexes.ascending("user_id", "device_id"), new IndexOptions().unique(true));
        database.getCollection(ONE_TIME_KEYS).createIndex(Indexes.ascending("user_id", "device_id", "algorithm", "key_id"),
                new IndexOptions().unique(true));
        database.getCollection(FALLBACK_KEYS).createIndex(Indexes.ascending("user_id", "device_id", "algorithm"),
                new IndexOptions().unique(true));
    }

    private static Bson device(String userId, String deviceId) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("device_id", deviceId));
    }

    Document deviceKeys(MongoDatabase db, String userId, String deviceId) {
        return db.getCollection(DEVICE_KEYS).find(device(userId, deviceId)).first();
    }

    List<Document> deviceKeys(MongoDatabase db, String userId) {
        return db.getCollection(DEVICE_KEYS).find(Filters.eq("user_id", userId)).sort(Sorts.ascending("device_id"))
                .into(new ArrayList<>());
    }

    void putDeviceKeys(MongoDatabase db, String userId, String deviceId, String json) {
        db.getCollection(DEVICE_KEYS).replaceOne(device(userId, deviceId),
                new Document("user_id", userId).append("device_id", deviceId).append("keys", json),
                new ReplaceOptions().upsert(true));
    }

    Document oneTimeKey(MongoDatabase db, String userId, String deviceId, String algorithm, String keyId) {
        return db.getCollection(ONE_TIME_KEYS).find(Filters.and(device(userId, deviceId), Filters.eq("algorithm", algorithm),
                Filters.eq("key_id", keyId))).first();
    }

    /** Inserts a one-time key; false if a key with this id exists already. */
    boolean insertOneTimeKey(MongoDatabase db, String userId, String deviceId, String algorithm, String keyId, String json) {
        try {
            db.getCollection(ONE_TIME_KEYS).insertOne(new Document("user_id", userId).append("device_id", deviceId)
                    .append("algorithm", algorithm).append("key_id", keyId).append("key", json));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Candidates to claim, oldest key ids first. */
    List<Document> oneTimeKeyCandidates(MongoDatabase db, String userId, String deviceId, String algorithm, int limit) {
        return db.getCollection(ONE_TIME_KEYS).find(Filters.and(device(userId, deviceId), Filters.eq("algorithm", algorithm)))
                .sort(Sorts.ascending("key_id")).limit(limit).into(new ArrayList<>());
    }

    /** Deletes the key document; true only for the one caller whose delete removed it. */
    boolean deleteOneTimeKey(MongoDatabase db, Object id) {
        return db.getCollection(ONE_TIME_KEYS).deleteOne(Filters.eq("_id", id)).getDeletedCount() == 1;
    }

    Map<String, Integer> oneTimeKeyCounts(MongoDatabase db, String userId, String deviceId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Document d : db.getCollection(ONE_TIME_KEYS).aggregate(List.of(Aggregates.match(device(userId, deviceId)),
                Aggregates.group("$algorithm", Accumulators.sum("n", 1))))) {
            counts.put(d.getString("_id"), ((Number) d.get("n")).intValue());
        }
        return counts;
    }

    void putFallbackKey(MongoDatabase db, String userId, String deviceId, String algorithm, String keyId, String json) {
        db.getCollection(FALLBACK_KEYS).replaceOne(Filters.and(device(userId, deviceId), Filters.eq("algorithm", algorithm)),
                new Document("user_id", userId).append("device_id", deviceId).append("algorithm", algorithm)
                        .append("key_id", keyId).append("key", json).append("used", false),
                new ReplaceOptions().upsert(true));
    }

    Document fallbackKey(MongoDatabase db, String userId, String deviceId, String algorithm) {
        return db.getCollection(FALLBACK_KEYS).find(Filters.and(device(userId, deviceId), Filters.eq("algorithm", algorithm))).first();
    }

    void markFallbackUsed(MongoDatabase db, Object id) {
        db.getCollection(FALLBACK_KEYS).updateOne(Filters.eq("_id", id), Updates.set("used", true));
    }

    List<String> unusedFallbackAlgorithms(MongoDatabase db, String userId, String deviceId) {
        List<String> result = new ArrayList<>();
        for (Document d : db.getCollection(FALLBACK_KEYS).find(Filters.and(device(userId, deviceId), Filters.eq("used", false)))) {
            result.add(d.getString("algorithm"));
        }
        return result;
    }

    /** Deletes everything of the device (device keys last, so a crash leaves a retryable state). */
    void deleteDevice(MongoDatabase db, String userId, String deviceId) {
        db.getCollection(ONE_TIME_KEYS).deleteMany(device(userId, deviceId));
        db.getCollection(FALLBACK_KEYS).deleteMany(device(userId, deviceId));
        db.getCollection(DEVICE_KEYS).deleteOne(device(userId, deviceId));
    }

}
