package de.tim.homeserver.federation.e2ee;

import java.util.LinkedHashMap;
import java.util.Map;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: per local user what other servers were last told about the user's
 * devices: the last {@code stream_id} of the user's {@code m.device_list_update} sequence, a digest per
 * announced device and a digest of the announced cross-signing keys. {@code user/devices} answers this
 * {@code stream_id}; the outbound scanner compares the current keys with the digests.
 */
@Component
class DeviceListAnnouncementRepository implements DomainStorage {

    static final String COLLECTION = "federation_device_announcements";

    /** What was announced for a user ({@link #NONE} before the first announcement). */
    record Announced(long streamId, Map<String, String> devices, String signingKeys) {
        static final Announced NONE = new Announced(0, Map.of(), "");
    }

    @Override
    public void initialize(MongoDatabase database) {
        // keyed by _id (user id) only
    }

    private static MongoCollection<Document> announcements(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    Announced find(MongoDatabase db, String userId) {
        Document doc = announcements(db).find(Filters.eq("_id", userId)).first();
        if (doc == null) {
            return Announced.NONE;
        }
        // device ids may contain dots, so they are stored as an array of pairs
        Map<String, String> devices = new LinkedHashMap<>();
        for (Document d : doc.getList("device_digests", Document.class, java.util.List.of())) {
            devices.put(d.getString("device_id"), d.getString("digest"));
        }
        return new Announced(doc.getLong("stream_id"), devices, doc.getString("signing"));
    }

    /**
     * Replaces the announcement if it is still at {@code expectedStreamId} (compare and set); false when
     * another instance announced meanwhile.
     */
    boolean replace(MongoDatabase db, String userId, long expectedStreamId, Announced next) {
        java.util.List<Document> digests = new java.util.ArrayList<>();
        next.devices().forEach((device, digest) -> digests.add(new Document("device_id", device).append("digest", digest)));
        Document doc = new Document("_id", userId).append("stream_id", next.streamId()).append("device_digests", digests)
                .append("signing", next.signingKeys());
        if (expectedStreamId == 0) {
            try {
                announcements(db).insertOne(doc);
                return true;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                return false;
            }
        }
        return announcements(db).replaceOne(Filters.and(Filters.eq("_id", userId), Filters.eq("stream_id", expectedStreamId)), doc)
                .getModifiedCount() == 1;
    }
}
