package de.tim.homeserver.e2ee.backup;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #VERSIONS} (one document per user and backup version: algorithm, auth data as
 * JSON text, {@code etag} counter, {@code deleted}) and {@value #KEYS} (one document per backed-up
 * session: the ranking fields and the encrypted {@code session_data} as JSON text).
 */
@Component
class BackupRepository implements DomainStorage {

    static final String VERSIONS = "e2ee_backup_versions";
    static final String KEYS = "e2ee_backup_keys";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(VERSIONS).createIndex(Indexes.ascending("user_id", "version"), new IndexOptions().unique(true));
        database.getCollection(KEYS).createIndex(Indexes.ascending("user_id", "version", "room_id", "session_id"),
                new IndexOptions().unique(true));
    }

    private static MongoCollection<Document> versions(MongoDatabase db) {
        return db.getCollection(VERSIONS);
    }

    private static MongoCollection<Document> keys(MongoDatabase db) {
        return db.getCollection(KEYS);
    }

    private static Bson version(String userId, long version) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("version", version));
    }

    /** The highest version ever created (deleted ones included), 0 if none. */
    long maxVersion(MongoDatabase db, String userId) {
        Document d = versions(db).find(Filters.eq("user_id", userId)).sort(Sorts.descending("version")).first();
        return d == null ? 0 : d.getLong("version");
    }

    /** Inserts the version; false if the number was taken concurrently. */
    boolean insertVersion(MongoDatabase db, String userId, long version, String algorithm, String authData) {
        try {
            versions(db).insertOne(new Document("user_id", userId).append("version", version).append("algorithm", algorithm)
                    .append("auth_data", authData).append("etag", 0L).append("deleted", false));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** The current (highest, not deleted) version, or null. */
    Document current(MongoDatabase db, String userId) {
        return versions(db).find(Filters.and(Filters.eq("user_id", userId), Filters.eq("deleted", false)))
                .sort(Sorts.descending("version")).first();
    }

    /** The version document (deleted ones included), or null. */
    Document find(MongoDatabase db, String userId, long version) {
        return versions(db).find(version(userId, version)).first();
    }

    void updateAuthData(MongoDatabase db, String userId, long version, String authData) {
        versions(db).updateOne(version(userId, version), Updates.set("auth_data", authData));
    }

    void markDeleted(MongoDatabase db, String userId, long version) {
        versions(db).updateOne(version(userId, version), Updates.set("deleted", true));
    }

    void bumpEtag(MongoDatabase db, String userId, long version) {
        versions(db).updateOne(version(userId, version), Updates.inc("etag", 1L));
    }

    Document key(MongoDatabase db, String userId, long version, String roomId, String sessionId) {
        return keys(db).find(Filters.and(version(userId, version), Filters.eq("room_id", roomId), Filters.eq("session_id", sessionId)))
                .first();
    }

    /** Inserts a new session key; false if one exists (the caller compares and replaces instead). */
    boolean insertKey(MongoDatabase db, Document key) {
        try {
            keys(db).insertOne(key);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    /** Replaces {@code existing} only if it is still unchanged; false when a concurrent write came first. */
    boolean replaceKey(MongoDatabase db, Document existing, Document replacement) {
        Bson unchanged = Filters.and(Filters.eq("_id", existing.get("_id")), Filters.eq("session_data", existing.getString("session_data")));
        replacement.put("_id", existing.get("_id"));
        return keys(db).replaceOne(unchanged, replacement).getMatchedCount() == 1;
    }

    /** Keys of the version, optionally of one room / one session, sorted by room and session. */
    List<Document> keys(MongoDatabase db, String userId, long version, String roomId, String sessionId) {
        return keys(db).find(scope(userId, version, roomId, sessionId)).sort(Sorts.ascending("room_id", "session_id"))
                .into(new ArrayList<>());
    }

    long deleteKeys(MongoDatabase db, String userId, long version, String roomId, String sessionId) {
        return keys(db).deleteMany(scope(userId, version, roomId, sessionId)).getDeletedCount();
    }

    long count(MongoDatabase db, String userId, long version) {
        return keys(db).countDocuments(version(userId, version));
    }

    private static Bson scope(String userId, long version, String roomId, String sessionId) {
        List<Bson> filters = new ArrayList<>(List.of(version(userId, version)));
        if (roomId != null) {
            filters.add(Filters.eq("room_id", roomId));
        }
        if (sessionId != null) {
            filters.add(Filters.eq("session_id", sessionId));
        }
        return Filters.and(filters);
    }

    /** Marks every version of the user deleted, then deletes their keys. */
    void deleteUser(MongoDatabase db, String userId) {
        versions(db).updateMany(Filters.eq("user_id", userId), Updates.set("deleted", true));
        keys(db).deleteMany(Filters.eq("user_id", userId));
    }
}
