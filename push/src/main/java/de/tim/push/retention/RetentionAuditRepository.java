package de.tim.push.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import org.bson.Document;

/** One audit record per deletion decision: ids and times only, no content. */
class RetentionAuditRepository {

    static final String COLLECTION = "retention_audit";

    private final MongoCollection<Document> collection;

    RetentionAuditRepository(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
        collection.createIndex(Indexes.compoundIndex(Indexes.ascending("domain"), Indexes.ascending("decidedAt")));
    }

    /**
     * An audit entry.
     *
     * @param domain       Matrix domain
     * @param roomId       the room
     * @param lastActivity the room's last activity
     * @param decidedAt    when the worker decided to delete it
     * @param period       the inactivity period applied (ISO-8601)
     * @param outcome      {@code deleted}, {@code already-gone} or {@code dry-run}
     * @param deleteId     the admin API's {@code delete_id}, if any
     */
    record AuditEntry(String domain, String roomId, Instant lastActivity, Instant decidedAt, String period, String outcome,
                      String deleteId) {
    }

    void append(AuditEntry entry) {
        Document doc = new Document("domain", entry.domain()).append("roomId", entry.roomId())
                .append("lastActivity", Date.from(entry.lastActivity())).append("decidedAt", Date.from(entry.decidedAt()))
                .append("period", entry.period()).append("outcome", entry.outcome());
        if (entry.deleteId() != null) {
            doc.append("deleteId", entry.deleteId());
        }
        collection.insertOne(doc);
    }

    List<AuditEntry> forDomain(String domain) {
        List<AuditEntry> entries = new ArrayList<>();
        collection.find(Filters.eq("domain", domain)).sort(Sorts.ascending("decidedAt")).forEach(d -> entries.add(
                new AuditEntry(d.getString("domain"), d.getString("roomId"), d.getDate("lastActivity").toInstant(),
                        d.getDate("decidedAt").toInstant(), d.getString("period"), d.getString("outcome"), d.getString("deleteId"))));
        return entries;
    }
}
