package de.tim.homeserver.federation.queue;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.federation.FederationProperties;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: which instance sends the current transaction of a queue ({@code _id} = sender +
 * space + destination, {@code owner} = the sending loop's random id, {@code until} = end of the lease). So with several
 * instances one transaction per destination and queue is in flight, not one per instance (which would send the same
 * batch several times at once). A lease lasts the request timeout plus 30 s and is deleted after the transaction;
 * a lease left by a crashed instance is taken over after it ran out. Taking is race-safe also on the wire server
 * (whose {@code findAndModify} is not atomic): a free lease is taken by inserting its document (unique {@code _id}), an
 * expired one by inserting a takeover ticket named after it ({@code takeover\n<id>\n<owner>\n<until>}); only the
 * winner rewrites the lease and then deletes the ticket (a later ticket for the same expired lease can no longer match).
 */
@Component
public class DestinationLeases implements DomainStorage {

    static final String COLLECTION = "federation_destination_leases";
    private static final long MARGIN_MS = 30_000;

    private final long leaseMs;

    DestinationLeases(FederationProperties properties) {
        this.leaseMs = properties.requestTimeout().toMillis() + MARGIN_MS;
    }

    @Override
    public void initialize(MongoDatabase database) {
        // keyed by _id only
    }

    private static MongoCollection<Document> leases(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    /** Takes the lease of {@code sender}'s queue for {@code destination}; false while another owner holds it. */
    boolean take(Domain domain, String sender, String destination, String owner) {
        MongoDatabase db = domain.database();
        String id = sender + " " + destination;
        long now = System.currentTimeMillis();
        if (insert(db, new Document("_id", id).append("owner", owner).append("until", now + leaseMs))) {
            return true;
        }
        Document current = leases(db).find(Filters.eq("_id", id)).first();
        if (current == null) {
            // released between the insert and the read: the next round tries again
            return false;
        }
        String holder = current.getString("owner");
        long until = current.getLong("until");
        if (until >= now) {
            return false;
        }
        String ticket = "takeover\n" + id + "\n" + holder + "\n" + until;
        if (!insert(db, new Document("_id", ticket))) {
            return false;
        }
        boolean taken = leases(db).updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("owner", holder),
                Filters.eq("until", until)), Updates.combine(Updates.set("owner", owner), Updates.set("until", now + leaseMs)))
                .getModifiedCount() == 1;
        leases(db).deleteOne(Filters.eq("_id", ticket));
        return taken;
    }

    /** Gives the lease back (nothing if it was taken over meanwhile). */
    void release(Domain domain, String sender, String destination, String owner) {
        leases(domain.database()).deleteOne(Filters.and(Filters.eq("_id", sender + " " + destination), Filters.eq("owner", owner)));
    }

    private static boolean insert(MongoDatabase db, Document doc) {
        try {
            leases(db).insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }
}
