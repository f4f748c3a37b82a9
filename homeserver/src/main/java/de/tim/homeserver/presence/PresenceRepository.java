package de.tim.homeserver.presence;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: current presence per user ({@code _id} = user id). */
@Component
class PresenceRepository implements DomainStorage {

    static final String COLLECTION = "presence";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("stream_pos"));
    }

    void put(MongoDatabase database, String userId, String presence, String statusMsg, long now, long streamPos) {
        var update = Updates.combine(Updates.set("presence", presence), Updates.set("status_msg", statusMsg),
                Updates.set("last_active_ts", now), Updates.set("stream_pos", streamPos));
        try {
            database.getCollection(COLLECTION).updateOne(Filters.eq("_id", userId), update, new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            database.getCollection(COLLECTION).updateOne(Filters.eq("_id", userId), update);
        }
    }

    /** Documents with {@code stream_pos > after}, ascending. */
    java.util.List<Document> changedAfter(MongoDatabase database, long after, int limit) {
        return database.getCollection(COLLECTION).find(Filters.gt("stream_pos", after))
                .sort(com.mongodb.client.model.Sorts.ascending("stream_pos")).limit(limit).into(new java.util.ArrayList<>());
    }

    Document find(MongoDatabase database, String userId) {
        return database.getCollection(COLLECTION).find(Filters.eq("_id", userId)).first();
    }
}
