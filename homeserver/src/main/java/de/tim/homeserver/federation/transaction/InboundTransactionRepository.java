package de.tim.homeserver.federation.transaction;

import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: processed inbound transactions by (origin, txn id) with the answer
 * given, so a retried transaction gets the same answer without being processed again.
 */
@Component
class InboundTransactionRepository implements DomainStorage {

    static final String COLLECTION = "federation_inbound_txns";

    @Override
    public void initialize(MongoDatabase database) {
        txns(database).createIndex(Indexes.ascending("ts"));
    }

    private static MongoCollection<Document> txns(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    private static String id(String origin, String txnId) {
        return origin + " " + txnId;
    }

    Optional<String> answer(MongoDatabase db, String origin, String txnId) {
        Document doc = txns(db).find(Filters.eq("_id", id(origin, txnId))).first();
        return doc == null ? Optional.empty() : Optional.of(doc.getString("answer"));
    }

    void save(MongoDatabase db, String origin, String txnId, String answer, long ts) {
        try {
            txns(db).insertOne(new Document("_id", id(origin, txnId)).append("answer", answer).append("ts", ts));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Forgets transactions older than {@code before} (a sender retries for hours, not weeks). */
    void purgeBefore(MongoDatabase db, long before) {
        txns(db).deleteMany(Filters.lt("ts", before));
    }
}
