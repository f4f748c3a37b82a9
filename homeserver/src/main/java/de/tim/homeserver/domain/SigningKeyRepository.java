package de.tim.homeserver.domain;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/** The domain's ed25519 signing key, generated once and kept in the domain's own database. */
final class SigningKeyRepository {

    static final String COLLECTION = "server_signing_keys";
    private static final String CURRENT = "current";
    private static final SecureRandom RANDOM = new SecureRandom();

    Domain.SigningKey ensure(MongoDatabase database) {
        MongoCollection<Document> keys = database.getCollection(COLLECTION);
        Document existing = keys.find(Filters.eq("_id", CURRENT)).first();
        if (existing != null) {
            return toKey(existing);
        }
        Document generated = generate();
        try {
            keys.insertOne(generated);
            return toKey(generated);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return toKey(keys.find(Filters.eq("_id", CURRENT)).first());
        }
    }

    private static Domain.SigningKey toKey(Document doc) {
        return new Domain.SigningKey(doc.getString("key_id"), doc.getString("seed"), doc.getString("public_key"));
    }

    private static Document generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] x509 = pair.getPublic().getEncoded();
            byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
            byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            byte[] id = new byte[4];
            RANDOM.nextBytes(id);
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            String keyId = "ed25519:" + Base64.getUrlEncoder().withoutPadding().encodeToString(id).replace('-', 'a').replace('_', 'b');
            return new Document("_id", CURRENT).append("key_id", keyId).append("seed", b64.encodeToString(seed))
                    .append("public_key", b64.encodeToString(pub)).append("created_ts", System.currentTimeMillis());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 not available", e);
        }
    }
}
