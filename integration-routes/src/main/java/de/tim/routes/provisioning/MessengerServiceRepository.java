package de.tim.routes.provisioning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.springframework.stereotype.Repository;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;

import de.tim.routes.RegistrationDatabase;

/**
 * Messenger-Services ({@code _id} = domain) in {@value #COLLECTION} with their provisioning state. The document is
 * written before any outbound step, so an interrupted provisioning is found and rolled back after a restart.
 */
@Repository
class MessengerServiceRepository {

    static final String COLLECTION = "messenger_services";

    enum State { PENDING, VZD_ADDED, ACTIVE, SWITCHED_OFF }

    record MessengerService(String domain, String telematikId, State state, String clientUrl, Instant updatedAt) {
    }

    private final MongoCollection<Document> services;

    MessengerServiceRepository(MongoClient mongo, RegistrationDatabase database) {
        this.services = mongo.getDatabase(database.database()).getCollection(COLLECTION);
        services.createIndex(Indexes.ascending("telematikId"));
        services.createIndex(Indexes.ascending("state", "updatedAt"));
    }

    /** Reserves a domain; false if it is already reserved or provisioned. */
    boolean reserve(String domain, String telematikId, Instant now) {
        try {
            services.insertOne(new Document("_id", domain).append("telematikId", telematikId)
                    .append("state", State.PENDING.name()).append("updatedAt", Date.from(now)));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    void advance(String domain, State state, String clientUrl, Instant now) {
        services.updateOne(Filters.eq("_id", domain), Updates.combine(Updates.set("state", state.name()),
                Updates.set("clientUrl", clientUrl), Updates.set("updatedAt", Date.from(now))));
    }

    void remove(String domain) {
        services.deleteOne(Filters.eq("_id", domain));
    }

    long countOf(String telematikId) {
        return services.countDocuments(Filters.eq("telematikId", telematikId));
    }

    List<MessengerService> ofOrganisation(String telematikId) {
        return read(services.find(Filters.eq("telematikId", telematikId)));
    }

    /** Provisionings that did not finish and were last touched before the given instant. */
    List<MessengerService> unfinishedBefore(Instant before) {
        return read(services.find(Filters.and(Filters.in("state", State.PENDING.name(), State.VZD_ADDED.name()),
                Filters.lt("updatedAt", Date.from(before)))));
    }

    private static List<MessengerService> read(Iterable<Document> documents) {
        List<MessengerService> result = new ArrayList<>();
        for (Document d : documents) {
            result.add(new MessengerService(d.getString("_id"), d.getString("telematikId"), State.valueOf(d.getString("state")),
                    d.getString("clientUrl"), d.getDate("updatedAt").toInstant()));
        }
        return result;
    }
}
