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
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: one document per device list change, {@code _id} = its position of
 * the {@code device_lists} stream, {@code user_id} = the user whose devices or keys changed.
 */
@Component
class DeviceListRepository implements DomainStorage {

    static final String COLLECTION = "e2ee_device_list_changes";

    @Override
    public void initialize(MongoDatabase database) {
        changes(database).createIndex(Indexes.ascending("user_id", "_id"));
    }

    private static MongoCollection<Document> changes(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    /** Idempotent insert of the change at {@code pos}. */
    void insert(MongoDatabase database, long pos, String userId) {
        try {
            changes(database).insertOne(new Document("_id", pos).append("user_id", userId)
                    .append("ts", System.currentTimeMillis()));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** Positions present in {@code (after, upTo]}, ascending. */
    List<Long> positions(MongoDatabase database, long after, long upTo) {
        List<Long> result = new ArrayList<>();
        for (Document d : changes(database).find(Filters.and(Filters.gt("_id", after), Filters.lte("_id", upTo)))
                .projection(Projections.include("_id")).sort(Sorts.ascending("_id"))) {
            result.add(((Number) d.get("_id")).longValue());
        }
        return result;
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

    long maxPos(MongoDatabase database) {
        Document d = changes(database).find().projection(Projections.include("_id")).sort(Sorts.descending("_id")).first();
        return d == null ? 0 : ((Number) d.get("_id")).longValue();
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
