package de.tim.homeserver.domain;

import java.security.SecureRandom;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.UnpaddedBase64;
import org.bson.Document;

/**
 * Collection {@value #COLLECTION} in the domain's own database: the domain's ed25519 signing key,
 * generated once ({@code _id: "current"}, so concurrent first starts of several instances agree on one key).
 */
final class SigningKeyRepository {

    static final String COLLECTION = "server_signing_keys";
    private static final String CURRENT = "current";
    private static final String OLD_PREFIX = "old:";
    private static final String VERSION_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    SigningKey ensure(MongoDatabase database) {
        MongoCollection<Document> keys = database.getCollection(COLLECTION);
        Document existing = keys.find(Filters.eq("_id", CURRENT)).first();
        if (existing != null) {
            return toKey(existing);
        }
        SigningKey generated = SigningKey.generate(newVersion());
        Document doc = new Document("_id", CURRENT).append("key_id", generated.keyId()).append("version", generated.version())
                .append("seed", UnpaddedBase64.encode(generated.seed()))
                .append("public_key", generated.verifyKey().publicKeyBase64())
                .append("created_ts", System.currentTimeMillis());
        try {
            keys.insertOne(doc);
            return generated;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return toKey(keys.find(Filters.eq("_id", CURRENT)).first());
        }
    }

    /** The current key as stored (another instance may have rotated it), or null if none exists yet. */
    SigningKey current(MongoDatabase database) {
        Document doc = database.getCollection(COLLECTION).find(Filters.eq("_id", CURRENT)).first();
        return doc == null ? null : toKey(doc);
    }

    /**
     * Replaces the current key by a new one, keeping the old public key as {@code old:<key id>} with its
     * {@code expired_ts}. Compare-and-set on the current key id: if another instance rotated first, its key wins.
     */
    SigningKey rotate(MongoDatabase database, SigningKey current) {
        MongoCollection<Document> keys = database.getCollection(COLLECTION);
        long now = System.currentTimeMillis();
        keys.replaceOne(Filters.eq("_id", OLD_PREFIX + current.keyId()), new Document("_id", OLD_PREFIX + current.keyId())
                .append("key_id", current.keyId()).append("public_key", current.verifyKey().publicKeyBase64())
                .append("expired_ts", now), new com.mongodb.client.model.ReplaceOptions().upsert(true));
        SigningKey generated = SigningKey.generate(newVersion());
        Document doc = new Document("_id", CURRENT).append("key_id", generated.keyId()).append("version", generated.version())
                .append("seed", UnpaddedBase64.encode(generated.seed()))
                .append("public_key", generated.verifyKey().publicKeyBase64())
                .append("created_ts", now);
        keys.replaceOne(Filters.and(Filters.eq("_id", CURRENT), Filters.eq("key_id", current.keyId())), doc);
        return toKey(keys.find(Filters.eq("_id", CURRENT)).first());
    }

    /** Former keys: key id → public key and the time it stopped being used. */
    java.util.Map<String, de.tim.matrix.keys.ServerKeys.OldKey> oldKeys(MongoDatabase database) {
        java.util.Map<String, de.tim.matrix.keys.ServerKeys.OldKey> result = new java.util.LinkedHashMap<>();
        database.getCollection(COLLECTION).find(Filters.regex("_id", "^" + OLD_PREFIX)).forEach(d -> result.put(
                d.getString("key_id"), new de.tim.matrix.keys.ServerKeys.OldKey(
                        de.tim.matrix.crypto.VerifyKey.fromBase64(d.getString("key_id"), d.getString("public_key")),
                        d.getLong("expired_ts"))));
        return result;
    }

    private static SigningKey toKey(Document doc) {
        String keyId = doc.getString("key_id");
        return SigningKey.fromBase64Seed(keyId.substring(keyId.indexOf(':') + 1), doc.getString("seed"));
    }

    private static String newVersion() {
        StringBuilder version = new StringBuilder("a_");
        for (int i = 0; i < 6; i++) {
            version.append(VERSION_ALPHABET.charAt(RANDOM.nextInt(VERSION_ALPHABET.length())));
        }
        return version.toString();
    }
}
