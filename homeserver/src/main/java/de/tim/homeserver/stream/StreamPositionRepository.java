package de.tim.homeserver.stream;

import java.util.concurrent.locks.ReentrantLock;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #COLLECTION}: one counter document per stream, advanced with {@code $inc} in one
 * {@code findOneAndUpdate} (atomic on MongoDB, so safe across instances). The in-process wire server
 * (mongo-java-server) does not apply concurrent {@code findAndModify}s atomically, so allocations of this
 * instance are additionally serialised; that costs nothing on MongoDB and makes the embedded setup correct.
 */
@Component
class StreamPositionRepository implements DomainStorage {

    static final String COLLECTION = "stream_positions";

    private final ReentrantLock lock = new ReentrantLock();

    @Override
    public void initialize(MongoDatabase database) {
        // _id only; nothing to index
    }

    long next(MongoDatabase database, String stream, int count) {
        MongoCollection<Document> positions = database.getCollection(COLLECTION);
        FindOneAndUpdateOptions options = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
        lock.lock();
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    Document doc = positions.findOneAndUpdate(Filters.eq("_id", stream), Updates.inc("pos", (long) count), options);
                    return ((Number) doc.get("pos")).longValue();
                } catch (MongoCommandException | MongoWriteException e) {
                    // two first-time upserts raced on the unique _id: the loser retries and finds the document
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    long current(MongoDatabase database, String stream) {
        Document doc = database.getCollection(COLLECTION).find(Filters.eq("_id", stream)).first();
        return doc == null ? 0 : ((Number) doc.get("pos")).longValue();
    }
}
