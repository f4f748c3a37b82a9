package de.tim.homeserver.e2ee.crosssigning;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #KEYS} (one document per user and usage {@code master}/{@code self_signing}/
 * {@code user_signing}: public key and the key object as JSON text) and {@value #SIGNATURES} (signatures
 * uploaded later through {@code /keys/signatures/upload}: target user and key id, signer user and key id).
 */
@Component
class CrossSigningRepository implements DomainStorage {

    static final String KEYS = "e2ee_cross_signing_keys";
    static final String SIGNATURES = "e2ee_key_signatures";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(KEYS).createIndex(Indexes.ascending("user_id", "usage"), new IndexOptions().unique(true));
        database.getCollection(SIGNATURES).createIndex(Indexes.ascending("target_user", "target_key", "signer_user", "signer_key"),
                new IndexOptions().unique(true));
    }

    private static Bson key(String userId, String usage) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("usage", usage));
    }

    Document find(MongoDatabase db, String userId, String usage) {
        return db.getCollection(KEYS).find(key(userId, usage)).first();
    }

    void put(MongoDatabase db, String userId, String usage, String publicKey, String json) {
        db.getCollection(KEYS).replaceOne(key(userId, usage), new Document("user_id", userId).append("usage", usage)
                .append("public_key", publicKey).append("key", json), new ReplaceOptions().upsert(true));
    }

    void delete(MongoDatabase db, String userId, String usage) {
        db.getCollection(KEYS).deleteOne(key(userId, usage));
    }

    void putSignature(MongoDatabase db, String targetUser, String targetKey, String signerUser, String signerKey, String signature) {
        Bson id = Filters.and(Filters.eq("target_user", targetUser), Filters.eq("target_key", targetKey),
                Filters.eq("signer_user", signerUser), Filters.eq("signer_key", signerKey));
        try {
            db.getCollection(SIGNATURES).replaceOne(id, new Document("target_user", targetUser).append("target_key", targetKey)
                    .append("signer_user", signerUser).append("signer_key", signerKey).append("signature", signature),
                    new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    List<Document> signatures(MongoDatabase db, String targetUser, String targetKey) {
        return db.getCollection(SIGNATURES).find(Filters.and(Filters.eq("target_user", targetUser), Filters.eq("target_key", targetKey)))
                .into(new ArrayList<>());
    }

    void deleteSignatures(MongoDatabase db, String targetUser, String targetKey) {
        db.getCollection(SIGNATURES).deleteMany(Filters.and(Filters.eq("target_user", targetUser), Filters.eq("target_key", targetKey)));
    }

    /** Deletes the user's cross-signing keys and the signatures on them (signatures on the master first). */
    void deleteUser(MongoDatabase db, String userId) {
        for (String usage : new String[] {"master", "self_signing", "user_signing"}) {
            Document key = find(db, userId, usage);
            if (key != null) {
                deleteSignatures(db, userId, key.getString("public_key"));
            }
        }
        db.getCollection(KEYS).deleteMany(Filters.eq("user_id", userId));
    }
}
