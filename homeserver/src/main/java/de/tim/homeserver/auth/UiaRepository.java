package de.tim.homeserver.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: open User-Interactive Authentication sessions. */
@Component
class UiaRepository implements DomainStorage {

    static final String COLLECTION = "uia_sessions";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("created_ts"));
    }

    private static MongoCollection<Document> sessions(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    void insert(MongoDatabase database, String session, String userId, String operation, long now, long expiredBefore) {
        sessions(database).deleteMany(Filters.lt("created_ts", expiredBefore));
        sessions(database).insertOne(new Document("_id", session).append("user_id", userId)
                .append("operation", operation).append("created_ts", now));
    }

    Document find(MongoDatabase database, String session) {
        return sessions(database).find(Filters.eq("_id", session)).first();
    }

    void markCompleted(MongoDatabase database, String session, String stage) {
        sessions(database).updateOne(Filters.eq("_id", session), Updates.addToSet("completed", stage));
    }

    void delete(MongoDatabase database, String session) {
        sessions(database).deleteOne(Filters.eq("_id", session));
    }
}
