package de.tim.routes.orgcheck;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bson.Document;
import org.springframework.stereotype.Repository;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

import de.tim.routes.RegistrationDatabase;

/**
 * Verified organisations ({@code _id} = telematikID) in {@value #COLLECTION}, and the single-use nonces of IDP
 * authentications in {@value #NONCES} (expired nonces are refused on use and removed by {@link #purgeNonces}).
 */
@Repository
public class OrganisationRepository {

    static final String COLLECTION = "organisations";
    static final String NONCES = "onboarding_nonces";

    /** A verified organisation. */
    public record Organisation(String telematikId, String professionOid, String name, String method, boolean active,
                               Instant verifiedAt) {
    }

    private final MongoCollection<Document> organisations;
    private final MongoCollection<Document> nonces;

    OrganisationRepository(MongoClient mongo, RegistrationDatabase database) {
        this.organisations = mongo.getDatabase(database.database()).getCollection(COLLECTION);
        this.nonces = mongo.getDatabase(database.database()).getCollection(NONCES);
    }

    /** Records (or refreshes) a verification; idempotent per telematikID. */
    Organisation verified(String telematikId, String professionOid, String name, String method, Instant now) {
        Document updated = organisations.findOneAndUpdate(Filters.eq("_id", telematikId), Updates.combine(
                        Updates.set("professionOid", professionOid),
                        Updates.set("name", name),
                        Updates.set("method", method),
                        Updates.set("active", true),
                        Updates.set("verifiedAt", Date.from(now))),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return read(updated);
    }

    public Optional<Organisation> find(String telematikId) {
        return Optional.ofNullable(organisations.find(Filters.eq("_id", telematikId)).first()).map(OrganisationRepository::read);
    }

    void storeNonce(String nonce, Instant expiresAt) {
        nonces.insertOne(new Document("_id", nonce).append("expiresAt", Date.from(expiresAt)));
    }

    /** Uses a nonce up: true only once, and only before it expires. */
    boolean consumeNonce(String nonce, Instant now) {
        Document removed = nonces.findOneAndDelete(Filters.eq("_id", nonce));
        return removed != null && removed.getDate("expiresAt").toInstant().isAfter(now);
    }

    void purgeNonces(Instant now) {
        nonces.deleteMany(Filters.lte("expiresAt", Date.from(now)));
    }

    private static Organisation read(Document d) {
        return new Organisation(d.getString("_id"), d.getString("professionOid"), d.getString("name"),
                d.getString("method"), d.getBoolean("active", false), d.getDate("verifiedAt").toInstant());
    }
}
