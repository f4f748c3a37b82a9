package de.tim.homeserver.sso;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** Collection {@value #COLLECTION}: pending OIDC logins by {@code state} (PKCE verifier, nonce, client redirect). */
@Component
class OidcSessionRepository implements DomainStorage {

    static final String COLLECTION = "oidc_sessions";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("created_ts"));
    }

    private static MongoCollection<Document> sessions(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    void insert(MongoDatabase database, Document session, long expiredBefore) {
        sessions(database).deleteMany(Filters.lt("created_ts", expiredBefore));
        sessions(database).insertOne(session);
    }

    /** Removes and returns the session: a state is good for one callback only. */
    Document take(MongoDatabase database, String state) {
        return sessions(database).findOneAndDelete(Filters.eq("_id", state));
    }
}
