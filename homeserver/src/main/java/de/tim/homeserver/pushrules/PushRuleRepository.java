package de.tim.homeserver.pushrules;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: per user ({@code _id}) the user-defined rules and the user's changes
 * to server-default rules, as JSON text (rule ids and patterns may contain dots).
 */
@Component
class PushRuleRepository implements DomainStorage {

    static final String COLLECTION = "push_rules";

    @Override
    public void initialize(MongoDatabase database) {
        // _id only
    }

    String find(MongoDatabase database, String userId) {
        Document doc = database.getCollection(COLLECTION).find(Filters.eq("_id", userId)).first();
        return doc == null ? null : doc.getString("state");
    }

    /** The stored states of the users who have one, by user id (one query for all). */
    java.util.Map<String, String> findAll(MongoDatabase database, java.util.Collection<String> userIds) {
        java.util.Map<String, String> states = new java.util.HashMap<>();
        if (!userIds.isEmpty()) {
            database.getCollection(COLLECTION).find(Filters.in("_id", userIds))
                    .forEach(d -> states.put(d.getString("_id"), d.getString("state")));
        }
        return states;
    }

    void save(MongoDatabase database, String userId, String state) {
        database.getCollection(COLLECTION).replaceOne(Filters.eq("_id", userId),
                new Document("_id", userId).append("state", state).append("updated_ts", System.currentTimeMillis()),
                new ReplaceOptions().upsert(true));
    }
}
