package de.tim.homeserver.registration;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: outstanding nonces of shared-secret registration. */
@Component
class NonceRepository implements DomainStorage {

    static final String COLLECTION = "registration_nonces";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("created_ts"));
    }

    private static MongoCollection<Document> nonces(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    void insert(MongoDatabase database, String nonce, long now, long expiredBefore) {
        nonces(database).deleteMany(Filters.lt("created_ts", expiredBefore));
        nonces(database).insertOne(new Document("_id", nonce).append("created_ts", now));
    }

    /** Removes and returns the nonce; null if unknown or used already. */
    Document take(MongoDatabase database, String nonce) {
        return nonces(database).findOneAndDelete(Filters.eq("_id", nonce));
    }
}
