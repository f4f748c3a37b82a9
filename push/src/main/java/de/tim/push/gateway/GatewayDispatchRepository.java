package de.tim.push.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Duplicate suppression of the Push Gateway: one document per (event id, app id, pushkey), keyed by a SHA-256 of
 * the three so no pushkey is stored in clear. A delivery first claims the key (PENDING), then records the outcome
 * (DELIVERED or REJECTED) or releases the claim for a retry. Entries expire through {@link #expire(Instant)}.
 */
class GatewayDispatchRepository {

    static final String COLLECTION = "push_gateway_dispatches";

    private final MongoCollection<Document> collection;

    GatewayDispatchRepository(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
        collection.createIndex(Indexes.ascending("updatedAt"));
    }

    /** Result of a claim. */
    sealed interface Claim {
        /** This caller owns the delivery. */
        record Acquired() implements Claim { }

        /** Already settled earlier with this outcome ({@code DELIVERED} or {@code REJECTED}). */
        record Settled(String state) implements Claim { }

        /** Another request is delivering it right now. */
        record InFlight() implements Claim { }
    }

    static String key(String eventId, String appId, String pushkey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((eventId + "\u0000" + appId + "\u0000" + pushkey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Claim claim(String key, Instant now, Duration lease) {
        try {
            collection.insertOne(new Document("_id", key).append("state", "PENDING")
                    .append("claimedAt", Date.from(now)).append("updatedAt", Date.from(now)));
            return new Claim.Acquired();
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        Document existing = collection.find(Filters.eq("_id", key)).first();
        if (existing == null) {
            return claim(key, now, lease);
        }
        String state = existing.getString("state");
        if (!"PENDING".equals(state)) {
            return new Claim.Settled(state);
        }
        Date claimedAt = existing.getDate("claimedAt");
        if (claimedAt.toInstant().plus(lease).isAfter(now)) {
            return new Claim.InFlight();
        }
        // a stale claim (its owner died): take it over, unless someone else was faster
        long taken = collection.updateOne(Filters.and(Filters.eq("_id", key), Filters.eq("state", "PENDING"),
                        Filters.eq("claimedAt", claimedAt)),
                Updates.combine(Updates.set("claimedAt", Date.from(now)), Updates.set("updatedAt", Date.from(now))))
                .getModifiedCount();
        return taken == 1 ? new Claim.Acquired() : new Claim.InFlight();
    }

    void settle(String key, String state, Instant now) {
        collection.updateOne(Filters.eq("_id", key),
                Updates.combine(Updates.set("state", state), Updates.set("updatedAt", Date.from(now))));
    }

    void release(String key) {
        collection.deleteOne(Filters.and(Filters.eq("_id", key), Filters.eq("state", "PENDING")));
    }

    long expire(Instant before) {
        return collection.deleteMany(Filters.lt("updatedAt", Date.from(before))).getDeletedCount();
    }
}
