package de.tim.routes.orgcheck;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Repository;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import de.tim.routes.RegistrationDatabase;

/**
 * Pending KIM confirmations (AF_10103 method 2) in {@value #COLLECTION}: {@code _id} = SHA-256 of the one-time token
 * (hex; the token itself is only in the KIM mail), the organisation as the directory named it, the KIM address, expiry
 * and the time it was used. Used and expired entries stay for {@link #RETAIN} so that reuse and expiry can be told
 * apart, then {@link #purge} removes them (no TTL index, CONTRIBUTING.md).
 */
@Repository
public class KimConfirmationRepository {

    static final String COLLECTION = "kim_confirmations";
    static final java.time.Duration RETAIN = java.time.Duration.ofDays(7);

    /** A confirmation as stored. */
    public record Confirmation(String tokenHash, String telematikId, String professionOid, String name, String kimAddress,
                               Instant expiresAt, Instant usedAt) {
    }

    private final MongoCollection<Document> confirmations;

    KimConfirmationRepository(MongoClient mongo, RegistrationDatabase database) {
        this.confirmations = mongo.getDatabase(database.database()).getCollection(COLLECTION);
        confirmations.createIndex(Indexes.ascending("expiresAt"));
        confirmations.createIndex(Indexes.ascending("kimAddress"));
    }

    void store(String tokenHash, String telematikId, String professionOid, String name, String kimAddress, Instant createdAt,
               Instant expiresAt) {
        confirmations.insertOne(new Document("_id", tokenHash).append("telematikId", telematikId)
                .append("professionOid", professionOid).append("name", name).append("kimAddress", kimAddress)
                .append("createdAt", Date.from(createdAt)).append("expiresAt", Date.from(expiresAt)));
    }

    /** Whether an unused, unexpired link to this KIM address was sent after {@code since}. */
    boolean pendingSince(String kimAddress, Instant since, Instant now) {
        return confirmations.find(Filters.and(Filters.eq("kimAddress", kimAddress), Filters.exists("usedAt", false),
                Filters.gt("expiresAt", Date.from(now)), Filters.gt("createdAt", Date.from(since)))).first() != null;
    }

    void delete(String tokenHash) {
        confirmations.deleteOne(Filters.eq("_id", tokenHash));
    }

    Optional<Confirmation> find(String tokenHash) {
        return Optional.ofNullable(confirmations.find(Filters.eq("_id", tokenHash)).first()).map(KimConfirmationRepository::read);
    }

    /** Marks an unused confirmation used; false if it was used already. */
    boolean markUsed(String tokenHash, Instant now) {
        return confirmations.updateOne(Filters.and(Filters.eq("_id", tokenHash), Filters.exists("usedAt", false)),
                Updates.set("usedAt", Date.from(now))).getModifiedCount() == 1;
    }

    /** Takes a used mark back (the admin account could not be created). */
    void unmarkUsed(String tokenHash) {
        confirmations.updateOne(Filters.eq("_id", tokenHash), Updates.unset("usedAt"));
    }

    void purge(Instant now) {
        confirmations.deleteMany(Filters.lt("expiresAt", Date.from(now.minus(RETAIN))));
    }

    private static Confirmation read(Document d) {
        Date used = d.getDate("usedAt");
        return new Confirmation(d.getString("_id"), d.getString("telematikId"), d.getString("professionOid"), d.getString("name"),
                d.getString("kimAddress"), d.getDate("expiresAt").toInstant(), used == null ? null : used.toInstant());
    }
}
