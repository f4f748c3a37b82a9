package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.json.CanonicalJson;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Repository;

/**
 * Collection {@value #OUTLIERS}: room events this server knows but that are not part of the room's
 * timeline here, each as its full signed PDU with a {@code status}:
 * <ul>
 * <li>{@value #OUTLIER}: verified (signatures, hashes, auth against its own auth events) but not in the
 * timeline — events of a join's auth chain, auth events fetched for a received PDU, state fetched to
 * close a gap (those carry {@code sg_after}, the state after them, so later events can cite them);</li>
 * <li>{@value #REJECTED}: failed the auth checks, with the {@code reason}; never changes state, never served
 * to clients, never cited by our events, but known so that it is not fetched and checked again;</li>
 * <li>{@value #SOFT_FAILED}: passed the auth checks on its own state but not on the current state; not
 * served to clients nor a forward extremity, but later events may cite it ({@code sg_before}/{@code sg_after}).</li>
 * </ul>
 * A rejected event's {@code sg_after} is its {@code sg_before} (it does not update state). Writes are
 * upserts by event id; a decision (rejected, soft-failed) overwrites the plain outlier status, never the
 * other way round.
 */
@Repository
class OutlierRepository implements DomainStorage {

    static final String OUTLIERS = "room_outliers";
    static final String OUTLIER = "outlier";
    static final String REJECTED = "rejected";
    static final String SOFT_FAILED = "soft_failed";

    @Override
    public void initialize(MongoDatabase database) {
        outliers(database).createIndex(Indexes.ascending("room_id"));
    }

    Document find(MongoDatabase db, String eventId) {
        return outliers(db).find(Filters.eq("_id", eventId)).first();
    }

    List<Document> findAll(MongoDatabase db, Collection<String> eventIds) {
        return outliers(db).find(Filters.in("_id", eventIds)).into(new ArrayList<>());
    }

    /** Stores a verified event as a plain outlier unless the event is known here already; {@code sgAfter} may be null. */
    void putOutlier(MongoDatabase db, Pdu pdu, String sgAfter) {
        List<Bson> set = new ArrayList<>(base(pdu));
        set.add(Updates.setOnInsert("status", OUTLIER));
        if (sgAfter != null) {
            set.add(Updates.setOnInsert("sg_after", sgAfter));
        }
        outliers(db).updateOne(Filters.eq("_id", pdu.eventId().value()), Updates.combine(set), new UpdateOptions().upsert(true));
        if (sgAfter != null) {
            // an outlier stored earlier without state learns it now
            outliers(db).updateOne(Filters.and(Filters.eq("_id", pdu.eventId().value()), Filters.eq("sg_after", null)),
                    Updates.set("sg_after", sgAfter));
        }
    }

    /** Records the decision about a received event: {@value #REJECTED} or {@value #SOFT_FAILED}, with the state around it. */
    void putDecision(MongoDatabase db, Pdu pdu, String status, String reason, String sgBefore, String sgAfter) {
        List<Bson> set = new ArrayList<>(base(pdu));
        set.add(Updates.set("status", status));
        set.add(Updates.set("reason", reason));
        set.add(Updates.set("sg_before", sgBefore));
        set.add(Updates.set("sg_after", sgAfter));
        outliers(db).updateOne(Filters.eq("_id", pdu.eventId().value()), Updates.combine(set), new UpdateOptions().upsert(true));
    }

    private static List<Bson> base(Pdu pdu) {
        return List.of(Updates.setOnInsert("room_id", pdu.roomId().value()),
                Updates.setOnInsert("version", pdu.roomVersion().id()),
                Updates.setOnInsert("type", pdu.type()),
                Updates.setOnInsert("depth", pdu.depth()),
                Updates.setOnInsert("pdu", CanonicalJson.encodeToString(pdu.json())),
                Updates.setOnInsert("received_ts", System.currentTimeMillis()));
    }

    void purge(MongoDatabase db, String roomId) {
        outliers(db).deleteMany(Filters.eq("room_id", roomId));
    }

    private static MongoCollection<Document> outliers(MongoDatabase db) {
        return db.getCollection(OUTLIERS);
    }
}
