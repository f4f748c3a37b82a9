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
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
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
    /** {@code _id: "floor"}: every record at or below {@code pos} may have been pruned. */
    static final String PRUNING = "e2ee_device_list_pruning";

    private final StreamChangeLog changeLog;

    DeviceListRepository(StreamChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    @Override
    public void initialize(MongoDatabase database) {
        changes(database).createIndex(Indexes.ascending("user_id", "_id"));
        changes(database).createIndex(Indexes.ascending("ts"));
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

    /** The highest position whose record was written before {@code before} (0: none). */
    long highestBefore(MongoDatabase database, long before) {
        Document d = changes(database).find(Filters.lt("ts", before)).projection(Projections.include("_id"))
                .sort(Sorts.descending("_id")).first();
        return d == null ? 0 : ((Number) d.get("_id")).longValue();
    }

    /** Every record at or below this position may be gone (0: nothing pruned). */
    long prunedUpTo(MongoDatabase database) {
        Document d = database.getCollection(PRUNING).find(Filters.eq("_id", "floor")).first();
        return d == null ? 0 : ((Number) d.get("pos")).longValue();
    }

    /** Raises the pruning floor first, then deletes the records up to it (an interrupted prune is repeated). */
    long prune(MongoDatabase database, long upTo) {
        try {
            database.getCollection(PRUNING).updateOne(Filters.eq("_id", "floor"), Updates.max("pos", upTo),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            database.getCollection(PRUNING).updateOne(Filters.eq("_id", "floor"), Updates.max("pos", upTo));
        }
        return changes(database).deleteMany(Filters.lte("_id", upTo)).getDeletedCount();
    }

    /** The changes in {@code (after, upTo]}, ascending, at most {@code limit}. */
    List<DeviceListService.Change> changesAfter(MongoDatabase database, long after, long upTo, int limit) {
        List<DeviceListService.Change> result = new ArrayList<>();
        for (Document d : changes(database).find(Filters.and(Filters.gt("_id", after), Filters.lte("_id", upTo)))
                .sort(Sorts.ascending("_id")).limit(limit)) {
            result.add(new DeviceListService.Change(((Number) d.get("_id")).longValue(), d.getString("user_id")));
        }
        return result;
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
