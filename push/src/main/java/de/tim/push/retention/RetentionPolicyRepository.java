package de.tim.push.retention;

import java.time.Instant;
import java.time.Period;
import java.util.Date;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.Document;

/** The Org-Admin's retention settings per domain ({@code _id}: the domain). */
class RetentionPolicyRepository {

    static final String COLLECTION = "retention_policies";

    private final MongoCollection<Document> collection;

    RetentionPolicyRepository(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
    }

    Optional<RetentionPolicy> find(String domain) {
        Document doc = collection.find(Filters.eq("_id", domain)).first();
        if (doc == null) {
            return Optional.empty();
        }
        return Optional.of(new RetentionPolicy(domain, doc.getBoolean("enabled", true),
                Period.parse(doc.getString("inactivityPeriod")), "org-admin"));
    }

    void save(String domain, boolean enabled, Period period, Instant now) {
        collection.replaceOne(Filters.eq("_id", domain), new Document("_id", domain).append("enabled", enabled)
                .append("inactivityPeriod", period.toString()).append("updatedAt", Date.from(now)), new ReplaceOptions().upsert(true));
    }

    void delete(String domain) {
        collection.deleteOne(Filters.eq("_id", domain));
    }
}
