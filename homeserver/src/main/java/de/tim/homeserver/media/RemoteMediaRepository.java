package de.tim.homeserver.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collection {@value #REMOTE}: media of other servers cached in this domain's store, one document per
 * {@code <server>/<media id>} ({@code _id}) with {@code state} fetching|ready|expiring, {@code started_ts} and
 * {@code attempt} (the fetch that wrote it), and once ready {@code file_id}, {@code size}, {@code sha256},
 * {@code content_type}, {@code upload_name}, {@code cached_ts}, {@code last_access_ts}. Kept apart from
 * {@code media} so a cached copy is never taken for (or served over federation as) our own. A fetch only
 * claims an absent or {@code fetching} record and only turns a {@code fetching} one ready, so a copy being
 * expired ({@code expiring}) is never revived with a file the expiry is about to delete.
 */
@Component
class RemoteMediaRepository implements DomainStorage {

    static final String REMOTE = "media_remote";
    static final String FETCHING = "fetching";
    static final String EXPIRING = "expiring";

    /** A cached copy and when it was last served. */
    record Cached(Media media, long lastAccessTs) {
    }

    /** A record the expiry job looks at: its id, file (null while fetching) and {@code started_ts}. */
    record Swept(String id, String fileId, long startedTs) {
    }

    @Override
    public void initialize(MongoDatabase database) {
        remote(database).createIndex(Indexes.ascending("state", "started_ts"));
        remote(database).createIndex(Indexes.ascending("state", "last_access_ts"));
    }

    private static MongoCollection<Document> remote(MongoDatabase database) {
        return database.getCollection(REMOTE);
    }

    static String id(String serverName, String mediaId) {
        return serverName + "/" + mediaId;
    }

    /** The cached copy, if complete. */
    Optional<Media> findReady(MongoDatabase database, String serverName, String mediaId) {
        return findCached(database, serverName, mediaId).map(Cached::media);
    }

    /** The cached copy with its last access, if complete. */
    Optional<Cached> findCached(MongoDatabase database, String serverName, String mediaId) {
        Document doc = remote(database).find(Filters.and(Filters.eq("_id", id(serverName, mediaId)),
                Filters.eq("state", Media.READY))).first();
        if (doc == null) {
            return Optional.empty();
        }
        Number size = doc.get("size", Number.class);
        Number cached = doc.get("cached_ts", Number.class);
        Number access = doc.get("last_access_ts", Number.class);
        long cachedTs = cached == null ? 0 : cached.longValue();
        return Optional.of(new Cached(new Media(mediaId, null, Media.READY, doc.getString("content_type"),
                size == null ? 0 : size.longValue(), doc.getString("sha256"), doc.getString("upload_name"),
                cachedTs, doc.getString("file_id"), null), access == null ? cachedTs : access.longValue()));
    }

    /** Records that the ready copy was served now (only while it is ready, so an expiry mark stays). */
    void touch(MongoDatabase database, String serverName, String mediaId, long now) {
        remote(database).updateOne(Filters.and(Filters.eq("_id", id(serverName, mediaId)),
                Filters.eq("state", Media.READY)), Updates.set("last_access_ts", now));
    }

    /**
     * Records that a fetch started (so an interrupted one leaves a trace) and returns its attempt id; an older
     * {@code fetching} record (another attempt, possibly interrupted) is taken over, a ready or expiring copy is
     * left alone.
     */
    String fetching(MongoDatabase database, String serverName, String mediaId, long now) {
        String id = id(serverName, mediaId);
        String attempt = UUID.randomUUID().toString();
        try {
            remote(database).updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", FETCHING)),
                    Updates.combine(Updates.set("state", FETCHING), Updates.set("started_ts", now),
                            Updates.set("attempt", attempt),
                            Updates.setOnInsert("server_name", serverName), Updates.setOnInsert("media_id", mediaId)),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
        return attempt;
    }

    /** The fetched copy is complete; false if another fetch completed first (its copy stays). */
    boolean complete(MongoDatabase database, String serverName, String mediaId, MediaStore.StoredFile file,
            String contentType, String uploadName, long now) {
        String id = id(serverName, mediaId);
        try {
            remote(database).updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", FETCHING)),
                    Updates.combine(Updates.set("state", Media.READY), Updates.set("file_id", file.fileId()),
                            Updates.set("size", file.length()), Updates.set("sha256", file.sha256()),
                            Updates.set("content_type", contentType), Updates.set("upload_name", uploadName),
                            Updates.set("cached_ts", now), Updates.set("last_access_ts", now),
                            Updates.setOnInsert("server_name", serverName),
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

    /** A fetch failed: forget it unless a copy is ready meanwhile or another attempt took the record over. */
    void failed(MongoDatabase database, String serverName, String mediaId, String attempt) {
        remote(database).deleteOne(Filters.and(Filters.eq("_id", id(serverName, mediaId)), Filters.eq("state", FETCHING),
                Filters.eq("attempt", attempt)));
    }

    /** {@code fetching} records started before {@code startedBefore}: fetches interrupted by a crash. */
    List<Swept> staleFetching(MongoDatabase database, long startedBefore, int limit) {
        return swept(database, Filters.and(Filters.eq("state", FETCHING), Filters.lt("started_ts", startedBefore)), limit);
    }

    /** Deletes a stale {@code fetching} record unless a new attempt took it over (its {@code started_ts} moved). */
    boolean deleteStaleFetching(MongoDatabase database, Swept stale) {
        return remote(database).deleteOne(Filters.and(Filters.eq("_id", stale.id()), Filters.eq("state", FETCHING),
                Filters.eq("started_ts", stale.startedTs()))).getDeletedCount() == 1;
    }

    /** Ready copies not served since {@code accessedBefore} (copies cached before access was recorded: by {@code cached_ts}). */
    List<Swept> unusedSince(MongoDatabase database, long accessedBefore, int limit) {
        return swept(database, unused(accessedBefore), limit);
    }

    /** Ready → expiring if still unused since {@code accessedBefore} with the same file; false if served meanwhile. */
    boolean markExpiring(MongoDatabase database, Swept copy, long accessedBefore) {
        return remote(database).updateOne(Filters.and(Filters.eq("_id", copy.id()), Filters.eq("file_id", copy.fileId()),
                unused(accessedBefore)), Updates.set("state", EXPIRING)).getModifiedCount() == 1;
    }

    /** Copies whose expiry was interrupted. */
    List<Swept> expiring(MongoDatabase database, int limit) {
        return swept(database, Filters.eq("state", EXPIRING), limit);
    }

    void deleteExpiring(MongoDatabase database, String id) {
        remote(database).deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", EXPIRING)));
    }

    private static Bson unused(long accessedBefore) {
        return Filters.and(Filters.eq("state", Media.READY), Filters.or(Filters.lt("last_access_ts", accessedBefore),
                Filters.and(Filters.exists("last_access_ts", false), Filters.lt("cached_ts", accessedBefore))));
    }

    private static List<Swept> swept(MongoDatabase database, Bson filter, int limit) {
        List<Swept> result = new ArrayList<>();
        remote(database).find(filter).limit(limit).forEach(doc -> {
            Number started = doc.get("started_ts", Number.class);
            result.add(new Swept(doc.getString("_id"), doc.getString("file_id"), started == null ? 0 : started.longValue()));
        });
        return result;
    }
}
