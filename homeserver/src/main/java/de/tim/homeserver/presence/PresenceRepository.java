package de.tim.homeserver.presence;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.stream.StreamChangeLog;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: current presence per user ({@code _id} = user id) with the stream position of
 * its last change; every write is recorded in the {@link StreamChangeLog} after it.
 */
@Component
class PresenceRepository implements DomainStorage {

    static final String COLLECTION = "presence";

    private final StreamChangeLog changeLog;

    PresenceRepository(StreamChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    @Override
    public void initialize(MongoDatabase database) {
        database.getCollection(COLLECTION).createIndex(Indexes.ascending("stream_pos"));
    }

    /** Writes the presence, then records the position; returns the position the change finally carries. */
    long put(MongoDatabase database, String userId, String presence, String statusMsg, long now, long streamPos) {
        var update = Updates.combine(Updates.set("presence", presence), Updates.set("status_msg", statusMsg),
                Updates.set("last_active_ts", now), Updates.set("stream_pos", streamPos));
        try {
            database.getCollection(COLLECTION).updateOne(Filters.eq("_id", userId), update, new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            database.getCollection(COLLECTION).updateOne(Filters.eq("_id", userId), update);
        }
        return changeLog.written(database, StreamPositions.PRESENCE, streamPos, (from, to) -> database.getCollection(COLLECTION)
                .updateOne(Filters.and(Filters.eq("_id", userId), Filters.eq("stream_pos", from)), Updates.set("stream_pos", to)));
    }

    /** Those of {@code userIds} whose presence changed with {@code after < stream_pos <= upTo}. */
    Set<String> changed(MongoDatabase database, Collection<String> userIds, long after, long upTo) {
        Set<String> result = new HashSet<>();
        for (Document d : database.getCollection(COLLECTION).find(Filters.and(Filters.in("_id", userIds),
                Filters.gt("stream_pos", after), Filters.lte("stream_pos", upTo))).projection(new Document("_id", 1))) {
            result.add(d.getString("_id"));
        }
        return result;
    }

    /** Documents with {@code after < stream_pos <= upTo}, ascending. */
    java.util.List<Document> changedAfter(MongoDatabase database, long after, long upTo, int limit) {
        return database.getCollection(COLLECTION).find(Filters.and(Filters.gt("stream_pos", after), Filters.lte("stream_pos", upTo)))
                .sort(com.mongodb.client.model.Sorts.ascending("stream_pos")).limit(limit).into(new java.util.ArrayList<>());
    }

    Document find(MongoDatabase database, String userId) {
        return database.getCollection(COLLECTION).find(Filters.eq("_id", userId)).first();
    }
}
