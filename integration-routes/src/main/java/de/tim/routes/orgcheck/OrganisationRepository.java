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
                               Instant verifiedAt, String kimAddress, Instant inactiveSince, boolean servicesRemoved,
                               java.util.List<String> notices) {
    }

    private final MongoCollection<Document> organisations;
    private final MongoCollection<Document> nonces;

    OrganisationRepository(MongoClient mongo, RegistrationDatabase database) {
        this.organisations = mongo.getDatabase(database.database()).getCollection(COLLECTION);
        this.nonces = mongo.getDatabase(database.database()).getCollection(NONCES);
    }

    /** Records (or refreshes) a verification; idempotent per telematikID. */
    Organisation verified(String telematikId, String professionOid, String name, String method, String kimAddress, Instant now) {
        Document updated = organisations.findOneAndUpdate(Filters.eq("_id", telematikId), Updates.combine(
                        Updates.set("professionOid", professionOid),
                        Updates.set("name", name),
                        Updates.set("method", method),
                        Updates.set("active", true),
                        Updates.set("kimAddress", kimAddress),
                        Updates.set("servicesRemoved", false),
                        Updates.unset("inactiveSince"),
                        Updates.set("verifiedAt", Date.from(now))),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        return read(updated);
    }

    public Optional<Organisation> find(String telematikId) {
        return Optional.ofNullable(organisations.find(Filters.eq("_id", telematikId)).first()).map(OrganisationRepository::read);
    }

    public java.util.List<Organisation> all() {
        java.util.List<Organisation> result = new java.util.ArrayList<>();
        for (Document d : organisations.find()) {
            result.add(read(d));
        }
        return result;
    }

    /** Marks an active organisation inactive and leaves a notice for the portal; false if it already was inactive. */
    public boolean markInactive(String telematikId, String notice, Instant now) {
        return organisations.updateOne(Filters.and(Filters.eq("_id", telematikId), Filters.eq("active", true)),
                Updates.combine(Updates.set("active", false), Updates.set("inactiveSince", Date.from(now)),
                        Updates.push("notices", notice))).getModifiedCount() == 1;
    }

    public void markServicesRemoved(String telematikId, String notice) {
        organisations.updateOne(Filters.eq("_id", telematikId),
                Updates.combine(Updates.set("servicesRemoved", true), Updates.push("notices", notice)));
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
        Date inactiveSince = d.getDate("inactiveSince");
        return new Organisation(d.getString("_id"), d.getString("professionOid"), d.getString("name"),
                d.getString("method"), d.getBoolean("active", false), d.getDate("verifiedAt").toInstant(),
                d.getString("kimAddress"), inactiveSince == null ? null : inactiveSince.toInstant(),
                d.getBoolean("servicesRemoved", false), d.getList("notices", String.class, java.util.List.of()));
    }
}
