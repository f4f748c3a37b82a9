package de.tim.homeserver.federation.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.e2ee.JsonText;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: the cached device list of a remote user ({@code _id} = user id): device
 * keys by device id, master and self-signing key (JSON text: key ids contain dots and colons), the
 * {@code stream_id} of the remote's device list sequence it reflects ({@code null} when it came from
 * {@code user/keys/query}, which names none) and when it was fetched.
 */
@Component
class RemoteDeviceCacheRepository implements DomainStorage {

    static final String COLLECTION = "federation_remote_devices";

    /** A cached device list. */
    record Cached(String userId, Long streamId, ObjectNode devices, ObjectNode masterKey, ObjectNode selfSigningKey,
            long fetchedTs) {
    }

    @Override
    public void initialize(MongoDatabase database) {
        // keyed by _id (user id) only
    }

    private static MongoCollection<Document> cache(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    Cached find(MongoDatabase db, String userId) {
        Document doc = cache(db).find(Filters.eq("_id", userId)).first();
        if (doc == null) {
            return null;
        }
        Object stream = doc.get("stream_id");
        return new Cached(userId, stream instanceof Number n ? n.longValue() : null, JsonText.readObject(doc.getString("devices")),
                object(doc.getString("master_key")), object(doc.getString("self_signing_key")), doc.get("fetched_ts", 0L));
    }

    private static ObjectNode object(String text) {
        return text == null ? null : JsonText.readObject(text);
    }

    /** Stores the list (replacing any). */
    void put(MongoDatabase db, Cached cached) {
        cache(db).replaceOne(Filters.eq("_id", cached.userId()), document(cached), new ReplaceOptions().upsert(true));
    }

    /** Replaces the list if it still reflects {@code expectedStreamId}; false when it changed meanwhile. */
    boolean replaceIf(MongoDatabase db, Long expectedStreamId, Cached next) {
        Bson filter = Filters.and(Filters.eq("_id", next.userId()), Filters.eq("stream_id", expectedStreamId));
        return cache(db).replaceOne(filter, document(next)).getModifiedCount() == 1;
    }

    void delete(MongoDatabase db, String userId) {
        cache(db).deleteOne(Filters.eq("_id", userId));
    }

    private static Document document(Cached c) {
        return new Document("_id", c.userId()).append("stream_id", c.streamId()).append("devices", JsonText.write(c.devices()))
                .append("master_key", c.masterKey() == null ? null : JsonText.write(c.masterKey()))
                .append("self_signing_key", c.selfSigningKey() == null ? null : JsonText.write(c.selfSigningKey()))
                .append("fetched_ts", c.fetchedTs());
    }
}
