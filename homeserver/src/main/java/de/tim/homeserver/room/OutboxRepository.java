package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Repository;

/**
 * Collection {@value #OUTBOX}: one entry per persisted event not yet acknowledged by Kafka ({@code _id} event
 * id, {@code pos}, {@code owner} = the instance that publishes it, {@code until} = end of its claim in epoch ms).
 * Only unpublished events are in it, so the publishers' scans stay small whatever the size of
 * {@code room_events} (and are indexed on MongoDB).
 */
@Repository
class OutboxRepository implements DomainStorage {

    static final String OUTBOX = "room_event_outbox";

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> outbox = outbox(database);
        outbox.createIndex(Indexes.ascending("owner", "pos"));
        outbox.createIndex(Indexes.ascending("until"));
    }

    private static MongoCollection<Document> outbox(MongoDatabase database) {
        return database.getCollection(OUTBOX);
    }

    /** Records the event as unpublished, claimed by {@code owner} until {@code until}; idempotent (a claim stays). */
    void add(MongoDatabase database, String eventId, long pos, String owner, long until) {
        outbox(database).updateOne(Filters.eq("_id", eventId), Updates.combine(Updates.setOnInsert("pos", pos),
                Updates.setOnInsert("owner", owner), Updates.setOnInsert("until", until)), new UpdateOptions().upsert(true));
    }

    /** Entries claimed by {@code owner}, oldest first. */
    List<Document> owned(MongoDatabase database, String owner, int limit) {
        return outbox(database).find(Filters.eq("owner", owner)).sort(Sorts.ascending("pos")).limit(limit).into(new ArrayList<>());
    }

    /** Entries whose claim ended before {@code now} (their publisher stopped or is stuck), oldest first. */
    List<Document> expired(MongoDatabase database, long now, int limit) {
        return outbox(database).find(Filters.lt("until", now)).sort(Sorts.ascending("pos")).limit(limit).into(new ArrayList<>());
    }

    /** Takes over an expired entry unless someone else did since it was read; true if this caller owns it now. */
    boolean claim(MongoDatabase database, Document expired, String owner, long until) {
        return outbox(database).updateOne(Filters.and(Filters.eq("_id", expired.getString("_id")),
                        Filters.eq("owner", expired.getString("owner")), Filters.eq("until", expired.getLong("until"))),
                Updates.combine(Updates.set("owner", owner), Updates.set("until", until))).getModifiedCount() == 1;
    }

    /** The event was acknowledged by Kafka (or is gone). */
    void remove(MongoDatabase database, String eventId) {
        outbox(database).deleteOne(Filters.eq("_id", eventId));
    }

    /** Whether the event still waits for publishing. */
    boolean contains(MongoDatabase database, String eventId) {
        return outbox(database).find(Filters.eq("_id", eventId)).first() != null;
    }
}
