package de.tim.homeserver.federation.transaction;

import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: inbound transactions by (origin, txn id), {@code _id} = origin + space + txn id.
 * While an instance processes one, its document is a claim ({@code owner} = the instance's random id, {@code until}
 * = end of the lease in epoch ms); afterwards it holds the {@code answer} given, so a retried transaction gets the
 * same answer without being processed again, on whichever instance it arrives. A claim is taken by inserting the
 * document (the unique {@code _id} lets exactly one instance win, also on the wire server whose
 * {@code findAndModify} is not atomic); an expired claim is taken over by inserting a takeover ticket named after
 * the expired claim ({@code _id} = {@code takeover\n<id>\n<owner>\n<until>}), so again exactly one instance wins,
 * and only the winner rewrites the claim. Every document carries {@code ts} (claim or answer time) for the purge.
 */
@Component
class InboundTransactionRepository implements DomainStorage {

    static final String COLLECTION = "federation_inbound_txns";

    /** The stored state of a transaction: its answer, or the claim of the instance processing it. */
    record Stored(String answer, String owner, long until) {

        boolean answered() {
            return answer != null;
        }
    }

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

    Optional<Stored> find(MongoDatabase db, String origin, String txnId) {
        Document doc = txns(db).find(Filters.eq("_id", id(origin, txnId))).first();
        if (doc == null) {
            return Optional.empty();
        }
        Long until = doc.getLong("until");
        return Optional.of(new Stored(doc.getString("answer"), doc.getString("owner"), until == null ? 0 : until));
    }

    /** Claims the transaction for {@code owner} until {@code until}; false if it is claimed or answered already. */
    boolean claim(MongoDatabase db, String origin, String txnId, String owner, long until, long now) {
        return insert(db, new Document("_id", id(origin, txnId)).append("owner", owner).append("until", until).append("ts", now));
    }

    /**
     * Takes over the {@code expired} claim (its owner stopped renewing it); true for exactly one caller per expired
     * claim, which then owns the transaction until {@code until}.
     */
    boolean takeOver(MongoDatabase db, String origin, String txnId, Stored expired, String owner, long until, long now) {
        String ticket = "takeover\n" + id(origin, txnId) + "\n" + expired.owner() + "\n" + expired.until();
        if (!insert(db, new Document("_id", ticket).append("ts", now))) {
            return false;
        }
        return txns(db).updateOne(Filters.and(Filters.eq("_id", id(origin, txnId)), Filters.eq("owner", expired.owner()),
                        Filters.eq("until", expired.until()), Filters.exists("answer", false)),
                Updates.combine(Updates.set("owner", owner), Updates.set("until", until))).getModifiedCount() == 1;
    }

    /** Extends the claim of {@code owner} (nothing if it was taken over or answered meanwhile). */
    void renew(MongoDatabase db, String origin, String txnId, String owner, long until) {
        txns(db).updateOne(Filters.and(Filters.eq("_id", id(origin, txnId)), Filters.eq("owner", owner),
                Filters.exists("answer", false)), Updates.set("until", until));
    }

    /** Gives up the claim of {@code owner} without an answer, so the next copy of the transaction processes it. */
    void release(MongoDatabase db, String origin, String txnId, String owner) {
        txns(db).deleteOne(Filters.and(Filters.eq("_id", id(origin, txnId)), Filters.eq("owner", owner),
                Filters.exists("answer", false)));
    }

    /** Stores the answer (the claim ends with it); idempotent. */
    void save(MongoDatabase db, String origin, String txnId, String answer, long ts) {
        txns(db).updateOne(Filters.eq("_id", id(origin, txnId)), Updates.combine(Updates.set("answer", answer),
                Updates.set("ts", ts), Updates.unset("owner"), Updates.unset("until")), new UpdateOptions().upsert(true));
    }

    /** Forgets transactions, claims and tickets older than {@code before} (a sender retries for hours, not weeks). */
    void purgeBefore(MongoDatabase db, long before) {
        txns(db).deleteMany(Filters.lt("ts", before));
    }

    private static boolean insert(MongoDatabase db, Document doc) {
        try {
            txns(db).insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }
}
