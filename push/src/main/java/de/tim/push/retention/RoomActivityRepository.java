package de.tim.push.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/** Last activity per (domain, room). Writes only move {@code lastActivity} forward, so replays are harmless. */
class RoomActivityRepository {

    static final String COLLECTION = "retention_room_activity";

    private final MongoCollection<Document> collection;

    RoomActivityRepository(MongoDatabase database) {
        this.collection = database.getCollection(COLLECTION);
        collection.createIndex(Indexes.compoundIndex(Indexes.ascending("domain"), Indexes.ascending("lastActivity")));
    }

    /** A room's tracked activity. */
    record RoomActivity(String domain, String roomId, Instant lastActivity) {
    }

    private static String id(String domain, String roomId) {
        return domain + " " + roomId;
    }

    void recordActivity(String domain, String roomId, Instant at) {
        try {
            collection.updateOne(Filters.and(Filters.eq("_id", id(domain, roomId)), Filters.lt("lastActivity", Date.from(at))),
                    Updates.combine(Updates.set("lastActivity", Date.from(at)), Updates.setOnInsert("domain", domain),
                            Updates.setOnInsert("roomId", roomId)),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            // the room exists with a later (or equal) activity: nothing to do
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    List<RoomActivity> inactiveSince(String domain, Instant cutoff, int limit) {
        List<RoomActivity> rooms = new ArrayList<>();
        collection.find(Filters.and(Filters.eq("domain", domain), Filters.lt("lastActivity", Date.from(cutoff))))
                .sort(Sorts.ascending("lastActivity"))
                .limit(limit)
                .forEach(d -> rooms.add(new RoomActivity(d.getString("domain"), d.getString("roomId"),
                        d.getDate("lastActivity").toInstant())));
        return rooms;
    }

    /** Forgets a purged room unless new activity arrived meanwhile. */
    void forget(RoomActivity room) {
        collection.deleteOne(Filters.and(Filters.eq("_id", id(room.domain(), room.roomId())),
                Filters.eq("lastActivity", Date.from(room.lastActivity()))));
    }

    boolean isTracked(String domain, String roomId) {
        return collection.find(Filters.eq("_id", id(domain, roomId))).first() != null;
    }
}
