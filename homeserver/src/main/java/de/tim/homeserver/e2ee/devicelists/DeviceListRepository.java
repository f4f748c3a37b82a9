package de.tim.homeserver.e2ee.devicelists;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.stream.StreamChangeLog;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: one document per device list change, {@code _id} = its position of
 * the {@code device_lists} stream, {@code user_id} = the user whose devices or keys changed. Every insert is
 * recorded in the {@link StreamChangeLog} after it (readers read up to the {@code StreamWatermark}).
 */
@Component
class DeviceListRepository implements DomainStorage {

    static final String COLLECTION = "e2ee_device_list_changes";

    private final StreamChangeLog changeLog;

    DeviceListRepository(StreamChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    @Override
    public void initialize(MongoDatabase database) {
        changes(database).createIndex(Indexes.ascending("user_id", "_id"));
    }

    private static MongoCollection<Document> changes(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    /**
     * Idempotent insert of the change at {@code pos}, then recorded in the change log (a position readers gave up
     * is repeated at a new one); returns the position that finally carries the change.
     */
    long insert(MongoDatabase database, long pos, String userId) {
        record(database, pos, userId);
        return changeLog.written(database, StreamPositions.DEVICE_LISTS, pos, (from, to) -> record(database, to, userId));
    }

    private void record(MongoDatabase database, long pos, String userId) {
        try {
            changes(database).insertOne(new Document("_id", pos).append("user_id", userId)
                    .append("ts", System.currentTimeMillis()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Distinct users with a change in {@code (after, upTo]}. */
    List<String> usersChanged(MongoDatabase database, long after, long upTo) {
        return changes(database).distinct("user_id", Filters.and(Filters.gt("_id", after), Filters.lte("_id", upTo)),
                String.class).into(new ArrayList<>());
    }

    boolean changedInWindow(MongoDatabase database, String userId, long after, long upTo) {
        return changes(database).find(Filters.and(Filters.eq("user_id", userId), Filters.gt("_id", after), Filters.lte("_id", upTo)))
                .first() != null;
    }
}
