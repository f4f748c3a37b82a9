package de.tim.homeserver.federation.edu;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Which instance sends a best-effort EDU: every instance scans the shared streams of typing, receipts (and presence)
 * changes, so without this each change would go out once per instance. Before sending a change, an instance claims
 * it in {@value #COLLECTION} by inserting {@code _id} = EDU type + stream position (the unique {@code _id} lets
 * exactly one instance win, also on the wire server); only the winner sends it. One small insert per change and
 * instance; a winner that dies before sending loses the change (best effort, as before: the next change replaces it).
 * Claims are forgotten after {@value EduSendClaimPruning#KEEP_HOURS} h ({@link EduSendClaimPruning}), long after every
 * instance scanned past them.
 */
@Component
public class EduSendClaims implements DomainStorage {

    static final String COLLECTION = "federation_outbound_edu_claims";

    @Override
    public void initialize(MongoDatabase database) {
        claims(database).createIndex(Indexes.ascending("ts"));
    }

    private static MongoCollection<Document> claims(MongoDatabase db) {
        return db.getCollection(COLLECTION);
    }

    /** Whether this instance sends the change at {@code pos} of the {@code eduType} stream (exactly one instance does). */
    public boolean claim(Domain domain, String eduType, long pos) {
        try {
            claims(domain.database()).insertOne(new Document("_id", eduType + " " + pos).append("ts", System.currentTimeMillis()));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    /** Forgets the claims made before {@code before}. */
    void forgetBefore(Domain domain, long before) {
        claims(domain.database()).deleteMany(Filters.lt("ts", before));
    }
}
