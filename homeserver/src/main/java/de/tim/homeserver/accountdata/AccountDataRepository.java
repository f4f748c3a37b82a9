package de.tim.homeserver.accountdata;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import de.tim.homeserver.stream.StreamChangeLog;
import de.tim.homeserver.stream.StreamPositions;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: one document per (user, room or "" for global, type) with the content
 * as JSON text (content keys may contain dots) and the stream position of its last change. Every write is
 * recorded in the {@link StreamChangeLog} after it, so syncs read only up to positions whose writes are visible.
 */
@Component
class AccountDataRepository implements DomainStorage {

    static final String COLLECTION = "account_data";

    private final StreamChangeLog changeLog;

    AccountDataRepository(StreamChangeLog changeLog) {
        this.changeLog = changeLog;
    }

    @Override
    public void initialize(MongoDatabase database) {
        MongoCollection<Document> data = database.getCollection(COLLECTION);
        data.createIndex(Indexes.ascending("user_id", "room_id", "type"));
        data.createIndex(Indexes.ascending("user_id", "stream_pos"));
    }

    private static MongoCollection<Document> data(MongoDatabase database) {
        return database.getCollection(COLLECTION);
    }

    private static Bson key(String userId, String roomId, String type) {
        return Filters.and(Filters.eq("user_id", userId), Filters.eq("room_id", roomId), Filters.eq("type", type));
    }

    /**
     * Upserts by a deterministic {@code _id}, so repeating the write is harmless, then records the position in the
     * change log; returns the position the change finally carries.
     */
    long put(MongoDatabase database, String userId, String roomId, String type, String contentJson, long streamPos) {
        String id = userId.length() + ":" + userId + roomId.length() + ":" + roomId + type;
        Document doc = new Document("_id", id).append("user_id", userId).append("room_id", roomId).append("type", type)
                .append("content", contentJson).append("stream_pos", streamPos);
        try {
            data(database).replaceOne(Filters.eq("_id", id), doc, new ReplaceOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            // a concurrent first write of the same key won the upsert; now the document exists
            data(database).replaceOne(Filters.eq("_id", id), doc);
        }
        return changeLog.written(database, StreamPositions.ACCOUNT_DATA, streamPos, (from, to) -> data(database)
                .updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("stream_pos", from)), Updates.set("stream_pos", to)));
    }

    Document find(MongoDatabase database, String userId, String roomId, String type) {
        return data(database).find(key(userId, roomId, type)).first();
    }

    List<Document> findAll(MongoDatabase database, String userId) {
        return data(database).find(Filters.eq("user_id", userId)).sort(Sorts.ascending("room_id", "type"))
                .into(new ArrayList<>());
    }

    List<Document> changedSince(MongoDatabase database, String userId, long since, long upTo) {
        return data(database).find(Filters.and(Filters.eq("user_id", userId), Filters.gt("stream_pos", since),
                Filters.lte("stream_pos", upTo))).sort(Sorts.ascending("stream_pos")).into(new ArrayList<>());
    }
}
