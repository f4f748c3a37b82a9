package de.tim.homeserver.pusher;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: pushers, unique per (user, app id, pushkey); {@code data} as JSON text. */
@Component
class PusherRepository implements DomainStorage {

    static final String COLLECTION = "pushers";

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> pushers = database.getCollection(COLLECTION);
        pushers.createIndex(Indexes.ascending("user_id", "app_id", "pushkey"), new IndexOptions().unique(true));
        pushers.createIndex(Indexes.ascending("app_id", "pushkey"));
        pushers.createIndex(Indexes.ascending("user_id", "device_id"));
    }

    private static MongoCollection<Document> pushers(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    private static Bson key(String userId, String appId, String pushkey) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("app_id", appId), Filters.eq("pushkey", pushkey));
    }

    void upsert(MongoDatabase database, Document pusher) {
        Bson key = key(pusher.getString("user_id"), pusher.getString("app_id"), pusher.getString("pushkey"));
        try {
            pushers(database).replaceOne(key, pusher, new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            pushers(database).replaceOne(key, pusher);
        }
    }

    void delete(MongoDatabase database, String userId, String appId, String pushkey) {
        pushers(database).deleteOne(key(userId, appId, pushkey));
    }

    void deleteAllUsers(MongoDatabase database, String appId, String pushkey) {
        pushers(database).deleteMany(Filters.and(Filters.eq("app_id", appId), Filters.eq("pushkey", pushkey)));
    }

    void deleteOtherUsers(MongoDatabase database, String userId, String appId, String pushkey) {
        pushers(database).deleteMany(Filters.and(Filters.eq("app_id", appId), Filters.eq("pushkey", pushkey),
                Filters.ne("user_id", userId)));
    }

    void deleteForDevice(MongoDatabase database, String userId, String deviceId) {
        pushers(database).deleteMany(Filters.and(Filters.eq("user_id", userId), Filters.eq("device_id", deviceId)));
    }

    List<Document> findAll(MongoDatabase database, String userId) {
        return pushers(database).find(Filters.eq("user_id", userId)).sort(Sorts.ascending("app_id", "pushkey"))
                .into(new ArrayList<>());
    }
}
