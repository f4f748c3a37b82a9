package de.tim.homeserver.stream;

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
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #CHANGES}: one document per position of a {@link StreamPositions#LOGGED logged stream}
 * whose write is complete ({@code _id} = stream and position, {@code stream}, {@code pos}, {@code at}), or that
 * readers gave up ({@code skipped: true}). The unique {@code _id} decides between a late writer and a reader
 * giving its position up: whoever inserts first wins, the other learns it from the duplicate key.
 * Collection {@value #FLOORS}: per stream ({@code _id}) the position up to which every entry is complete
 * and may have been pruned.
 */
@Component
class StreamChangeLogRepository implements DomainStorage {

    static final String CHANGES = "stream_changes";
    static final String FLOORS = "stream_floors";

    private final StreamPositionRepository positions;

    StreamChangeLogRepository(StreamPositionRepository positions) {
        this.positions = positions;
    }

    /**
     * Creates the index and, for streams that were written before this log existed (a counter but no entry and no
     * floor), starts the log at the counter; a new domain starts at 0. An existing floor is never changed here.
     */
    @Override
    public void initialize(MongoDatabase database) {
        changes(database).createIndex(Indexes.ascending("stream", "pos"));
        for (String stream : StreamPositions.LOGGED) {
            boolean logged = changes(database).find(Filters.eq("stream", stream)).first() != null;
            long start = logged ? 0 : positions.current(database, stream);
            try {
                floors(database).updateOne(Filters.eq("_id", stream), Updates.setOnInsert("pos", start),
                        new UpdateOptions().upsert(true));
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                // another instance created it at the same moment
            }
        }
    }

    private static MongoCollection<Document> changes(MongoDatabase database) {
        return database.getCollection(CHANGES);
    }

    private static MongoCollection<Document> floors(MongoDatabase database) {
        return database.getCollection(FLOORS);
    }

    private static String id(String stream, long pos) {
        return stream + ":" + pos;
    }

    /** Inserts the entry; false when the position has an entry already (written before, or given up). */
    boolean insert(MongoDatabase database, String stream, long pos, long at, boolean skipped) {
        Document entry = new Document("_id", id(stream, pos)).append("stream", stream).append("pos", pos).append("at", at);
        if (skipped) {
            entry.append("skipped", true);
        }
        try {
            changes(database).insertOne(entry);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            return false;
        }
    }

    /** Whether the position's entry marks it as given up by readers. */
    boolean skipped(MongoDatabase database, String stream, long pos) {
        Document entry = changes(database).find(Filters.eq("_id", id(stream, pos))).first();
        return entry != null && Boolean.TRUE.equals(entry.getBoolean("skipped"));
    }

    /** Positions with an entry in {@code (after, upTo]}, ascending. */
    List<Long> positions(MongoDatabase database, String stream, long after, long upTo) {
        List<Long> result = new ArrayList<>();
        for (Document d : changes(database).find(Filters.and(Filters.eq("stream", stream), Filters.gt("pos", after),
                Filters.lte("pos", upTo))).projection(Projections.include("pos")).sort(Sorts.ascending("pos"))) {
            result.add(((Number) d.get("pos")).longValue());
        }
        return result;
    }

    /** The position up to which the stream is complete without looking at entries (0 when unknown). */
    long floor(MongoDatabase database, String stream) {
        Document d = floors(database).find(Filters.eq("_id", stream)).first();
        return d == null ? 0 : ((Number) d.get("pos")).longValue();
    }

    void raiseFloor(MongoDatabase database, String stream, long pos) {
        try {
            floors(database).updateOne(Filters.eq("_id", stream), Updates.max("pos", pos), new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            floors(database).updateOne(Filters.eq("_id", stream), Updates.max("pos", pos));
        }
    }

    /** The highest position {@code <= upTo} whose entry was made before {@code before} (0: none). */
    long highestBefore(MongoDatabase database, String stream, long upTo, long before) {
        Document d = changes(database).find(Filters.and(Filters.eq("stream", stream), Filters.lte("pos", upTo),
                Filters.lt("at", before))).projection(Projections.include("pos")).sort(Sorts.descending("pos")).first();
        return d == null ? 0 : ((Number) d.get("pos")).longValue();
    }

    long deleteUpTo(MongoDatabase database, String stream, long pos) {
        return changes(database).deleteMany(Filters.and(Filters.eq("stream", stream), Filters.lte("pos", pos)))
                .getDeletedCount();
    }
}
