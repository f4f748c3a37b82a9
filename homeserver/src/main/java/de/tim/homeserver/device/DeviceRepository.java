package de.tim.homeserver.device;

import java.util.ArrayList;
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
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: one document per (user, device), unique on both. */
@Component
class DeviceRepository implements DomainStorage {

    static final String COLLECTION = "devices";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("user_id", "device_id"),
                new IndexOptions().unique(true));
    }

    private static MongoCollection<Document> devices(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    private static Bson key(String userId, String deviceId) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("device_id", deviceId));
    }

    /** Inserts the device unless it exists; true if created. */
    boolean insertIfAbsent(MongoDatabase database, String userId, String deviceId, String displayName) {
        if (find(database, userId, deviceId) != null) {
            return false;
        }
        try {
            devices(database).insertOne(new Document("user_id", userId).append("device_id", deviceId)
                    .append("display_name", displayName).append("created_ts", System.currentTimeMillis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Document find(MongoDatabase database, String userId, String deviceId) {
        return devices(database).find(key(userId, deviceId)).first();
    }

    List<Document> findAll(MongoDatabase database, String userId) {
        return devices(database).find(Filters.eq("user_id", userId)).sort(Sorts.ascending("device_id"))
                .into(new ArrayList<>());
    }

    boolean update(MongoDatabase database, String userId, String deviceId, Bson update) {
        return devices(database).updateOne(key(userId, deviceId), update).getMatchedCount() > 0;
    }

    void touch(MongoDatabase database, String userId, String deviceId, String ip, long now) {
        devices(database).updateOne(key(userId, deviceId),
                Updates.combine(Updates.set("last_seen_ts", now), Updates.set("last_seen_ip", ip)));
    }

    boolean delete(MongoDatabase database, String userId, String deviceId) {
        return devices(database).deleteOne(key(userId, deviceId)).getDeletedCount() > 0;
    }
}
