package de.tim.homeserver.e2ee.todevice;

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
 * Collections {@value #INBOX} (one document per message and recipient device: {@code _id} derived from
 * the sender's transaction and the recipient, {@code pos} for ordering, {@code batch} = the sync position
 * that first delivered it, null before) and {@value #TXNS} (the sender's transactions, unique per
 * sender device and txn id; {@code complete} once all messages are queued).
 */
@Component
class ToDeviceRepository implements DomainStorage {

    static final String INBOX = "e2ee_to_device_inbox";
    static final String TXNS = "e2ee_to_device_txns";

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(INBOX).createIndex(Indexes.ascending("user_id", "device_id", "pos"));
        database.getCollection(INBOX).createIndex(Indexes.ascending("user_id", "device_id", "batch"));
        database.getCollection(TXNS).createIndex(Indexes.ascending("user_id", "device_id", "txn_id"), new IndexOptions().unique(true));
    }

    private static MongoCollection<Document> inbox(MongoDatabase db) {
        return db.getCollection(INBOX);
    }

    private static Bson device(String userId, String deviceId) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("device_id", deviceId));
    }

    private static Bson txn(String userId, String deviceId, String txnId) {
        return Filters.and(device(userId, deviceId), Filters.eq("txn_id", txnId));
    }

    /** The transaction record, or null. */
    Document findTxn(MongoDatabase db, String userId, String deviceId, String txnId) {
        return db.getCollection(TXNS).find(txn(userId, deviceId, txnId)).first();
    }

    /** Claims the transaction; false if it existed already. */
    boolean insertTxn(MongoDatabase db, String userId, String deviceId, String txnId) {
        try {
            db.getCollection(TXNS).insertOne(new Document("user_id", userId).append("device_id", deviceId).append("txn_id", txnId)
                    .append("complete", false).append("ts", System.currentTimeMillis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    void completeTxn(MongoDatabase db, String userId, String deviceId, String txnId) {
        db.getCollection(TXNS).updateOne(txn(userId, deviceId, txnId), Updates.set("complete", true));
    }

    /** Idempotent insert (a retried transaction writes the same {@code _id}s). */
    void insertMessage(MongoDatabase db, Document message) {
        try {
            inbox(db).insertOne(message);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Deletes what syncs up to {@code batch} delivered (the client's since token acknowledges them). */
    void deleteAcknowledged(MongoDatabase db, String userId, String deviceId, long upToBatch) {
        inbox(db).deleteMany(Filters.and(device(userId, deviceId), Filters.ne("batch", null), Filters.lte("batch", upToBatch)));
    }

    List<Document> undelivered(MongoDatabase db, String userId, String deviceId, int limit) {
        return inbox(db).find(Filters.and(device(userId, deviceId), Filters.eq("batch", null))).sort(Sorts.ascending("pos"))
                .limit(limit).into(new ArrayList<>());
    }

    List<Document> deliveredAfter(MongoDatabase db, String userId, String deviceId, long afterBatch) {
        return inbox(db).find(Filters.and(device(userId, deviceId), Filters.gt("batch", afterBatch))).sort(Sorts.ascending("pos"))
                .into(new ArrayList<>());
    }

    long countDeliveredAfter(MongoDatabase db, String userId, String deviceId, long afterBatch) {
        return inbox(db).countDocuments(Filters.and(device(userId, deviceId), Filters.gt("batch", afterBatch)));
    }

    /** Stamps the still undelivered messages among {@code ids} with {@code batch}. */
    void markDelivered(MongoDatabase db, List<Object> ids, long batch) {
        inbox(db).updateMany(Filters.and(Filters.in("_id", ids), Filters.eq("batch", null)), Updates.set("batch", batch));
    }

    void deleteDevice(MongoDatabase db, String userId, String deviceId) {
        inbox(db).deleteMany(device(userId, deviceId));
        db.getCollection(TXNS).deleteMany(device(userId, deviceId));
    }

    /** Deletes completed transactions recorded before {@code before}; returns how many. */
    long deleteTxnsBefore(MongoDatabase db, long before) {
        return db.getCollection(TXNS).deleteMany(Filters.and(Filters.eq("complete", true), Filters.lt("ts", before))).getDeletedCount();
    }
}
