package de.tim.homeserver.federation.keys;

import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Remote servers' keys in the domain's database. {@value #KEYS}: one document per (server, key id)
 * with the public key and until when it may be used ({@code valid_until_ts}: for a current key the
 * lesser of the published {@code valid_until_ts} and fetch time + 7 days, for an old key its
 * {@code expired_ts}). {@value #RESPONSES}: the last verified {@code /_matrix/key/v2/server} answer per
 * server, as served again by the notary endpoints.
 */
@Component
class RemoteKeyRepository implements DomainStorage {

    static final String KEYS = "federation_server_keys";
    static final String RESPONSES = "federation_key_responses";

    /** A stored key. */
    record StoredKey(String server, String keyId, String publicKey, long validUntilTs) {
    }

    /** A stored key response. */
    record StoredResponse(String server, String json, long validUntilTs, long fetchedTs) {
    }

    @Override
    public void initialize(MongoDatabase database) {
        keys(database).createIndex(Indexes.ascending("server", "key_id"));
    }

    private static MongoCollection<Document> keys(MongoDatabase database) {
        return database.getCollection(KEYS);
    }

    private static MongoCollection<Document> responses(MongoDatabase database) {
        return database.getCollection(RESPONSES);
    }

    private static String id(String server, String keyId) {
        return server + " " + keyId;
    }

    Optional<StoredKey> find(MongoDatabase database, String server, String keyId) {
        Document doc = keys(database).find(Filters.eq("_id", id(server, keyId))).first();
        return doc == null ? Optional.empty() : Optional.of(new StoredKey(doc.getString("server"),
                doc.getString("key_id"), doc.getString("key"), doc.getLong("valid_until_ts")));
    }

    /** Upserts one key; idempotent. */
    void save(MongoDatabase database, StoredKey key, long fetchedTs) {
        keys(database).updateOne(Filters.eq("_id", id(key.server(), key.keyId())), Updates.combine(
                Updates.set("server", key.server()), Updates.set("key_id", key.keyId()),
                Updates.set("key", key.publicKey()), Updates.set("valid_until_ts", key.validUntilTs()),
                Updates.set("fetched_ts", fetchedTs)), new UpdateOptions().upsert(true));
    }

    Optional<StoredResponse> findResponse(MongoDatabase database, String server) {
        Document doc = responses(database).find(Filters.eq("_id", server)).first();
        return doc == null ? Optional.empty() : Optional.of(new StoredResponse(server, doc.getString("json"),
                doc.getLong("valid_until_ts"), doc.getLong("fetched_ts")));
    }

    void saveResponse(MongoDatabase database, StoredResponse response) {
        responses(database).replaceOne(Filters.eq("_id", response.server()), new Document("_id", response.server())
                .append("json", response.json()).append("valid_until_ts", response.validUntilTs())
                .append("fetched_ts", response.fetchedTs()), new ReplaceOptions().upsert(true));
    }
}
