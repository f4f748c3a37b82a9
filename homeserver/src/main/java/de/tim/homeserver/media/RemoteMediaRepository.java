package de.tim.homeserver.media;

import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #REMOTE}: media of other servers cached in this domain's store, one document per
 * {@code <server>/<media id>} ({@code _id}) with {@code state} fetching|ready, {@code started_ts}, and once ready
 * {@code file_id}, {@code size}, {@code sha256}, {@code content_type}, {@code upload_name}, {@code cached_ts}.
 * Kept apart from {@code media} so a cached copy is never taken for (or served over federation as) our own.
 */
@Component
class RemoteMediaRepository implements DomainStorage {

    static final String REMOTE = "media_remote";
    static final String FETCHING = "fetching";

    @Override
    public void initialize(MongoDatabase database) {
        remote(database).createIndex(Indexes.ascending("state", "started_ts"));
    }

    private static MongoCollection<Document> remote(MongoDatabase database) {
        return database.getCollection(REMOTE);
    }

    static String id(String serverName, String mediaId) {
        return serverName + "/" + mediaId;
    }

    /** The cached copy, if complete. */
    Optional<Media> findReady(MongoDatabase database, String serverName, String mediaId) {
        Document doc = remote(database).find(Filters.and(Filters.eq("_id", id(serverName, mediaId)),
                Filters.eq("state", Media.READY))).first();
        if (doc == null) {
            return Optional.empty();
        }
        Number size = doc.get("size", Number.class);
        Number cached = doc.get("cached_ts", Number.class);
        return Optional.of(new Media(mediaId, null, Media.READY, doc.getString("content_type"),
                size == null ? 0 : size.longValue(), doc.getString("sha256"), doc.getString("upload_name"),
                cached == null ? 0 : cached.longValue(), doc.getString("file_id"), null));
    }

    /** Records that a fetch started (so an interrupted one leaves a trace); no change if a copy is ready. */
    void fetching(MongoDatabase database, String serverName, String mediaId, long now) {
        String id = id(serverName, mediaId);
        try {
            remote(database).updateOne(Filters.and(Filters.eq("_id", id), Filters.ne("state", Media.READY)),
                    Updates.combine(Updates.set("state", FETCHING), Updates.set("started_ts", now),
                            Updates.setOnInsert("server_name", serverName), Updates.setOnInsert("media_id", mediaId)),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** The fetched copy is complete; false if another fetch completed first (its copy stays). */
    boolean complete(MongoDatabase database, String serverName, String mediaId, MediaStore.StoredFile file,
            String contentType, String uploadName, long now) {
        String id = id(serverName, mediaId);
        try {
            remote(database).updateOne(Filters.and(Filters.eq("_id", id), Filters.ne("state", Media.READY)),
                    Updates.combine(Updates.set("state", Media.READY), Updates.set("file_id", file.fileId()),
                            Updates.set("size", file.length()), Updates.set("sha256", file.sha256()),
                            Updates.set("content_type", contentType), Updates.set("upload_name", uploadName),
                            Updates.set("cached_ts", now), Updates.setOnInsert("server_name", serverName),
                            Updates.setOnInsert("media_id", mediaId)),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        // the copy that is ready now is ours unless another fetch completed first
        return findReady(database, serverName, mediaId).map(m -> file.fileId().equals(m.fileId())).orElse(false);
    }

    /** A fetch failed: forget it unless a copy is ready meanwhile. */
    void failed(MongoDatabase database, String serverName, String mediaId) {
        remote(database).deleteOne(Filters.and(Filters.eq("_id", id(serverName, mediaId)), Filters.eq("state", FETCHING)));
    }
}
