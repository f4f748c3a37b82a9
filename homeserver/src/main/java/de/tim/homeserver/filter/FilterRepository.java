package de.tim.homeserver.filter;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: uploaded filters, immutable, unique per (user, filter id). */
@Component
class FilterRepository implements DomainStorage {

    static final String COLLECTION = "filters";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("user_id", "filter_id"),
                new IndexOptions().unique(true));
    }

    private static MongoCollection<Document> filters(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    void insert(MongoDatabase database, String userId, String filterId, String filterJson) {
        filters(database).insertOne(new Document("user_id", userId).append("filter_id", filterId)
                .append("filter", filterJson).append("created_ts", System.currentTimeMillis()));
    }

    Document find(MongoDatabase database, String userId, String filterId) {
        return filters(database).find(Filters.and(Filters.eq("user_id", userId), Filters.eq("filter_id", filterId))).first();
    }
}
