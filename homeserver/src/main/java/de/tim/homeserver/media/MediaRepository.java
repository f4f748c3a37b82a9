package de.tim.homeserver.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.DomainStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * Collections {@value #MEDIA} (one document per media id: uploader, state, content type, size, sha256,
 * upload name, created, file id) and {@value #THUMBNAILS} (one per media id, size and method).
 * State changes are conditional updates on the expected state, so concurrent uploads to one id cannot
 * both win.
 */
@Component
class MediaRepository implements DomainStorage {

    static final String MEDIA = "media";
    static final String THUMBNAILS = "media_thumbnails";

    @Override
    public void initialize(MongoDatabase database) {
        media(database).createIndex(Indexes.ascending("uploader", "state"));
        media(database).createIndex(Indexes.ascending("state", "unused_expires_at"));
        media(database).createIndex(Indexes.ascending("state", "created_ts"));
        thumbnails(database).createIndex(Indexes.ascending("media_id"));
    }

    private static MongoCollection<Document> media(MongoDatabase database) {
        return database.getCollection(MEDIA);
    }

    private static MongoCollection<Document> thumbnails(MongoDatabase database) {
        return database.getCollection(THUMBNAILS);
    }

    /** A new media id in state pending or uploading; false if the id exists. */
    boolean insert(MongoDatabase database, String mediaId, String uploader, String state, long now, long expiresAt) {
        try {
            media(database).insertOne(new Document("_id", mediaId).append("uploader", uploader).append("state", state)
                    .append("created_ts", now).append("unused_expires_at", expiresAt));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    Optional<Media> find(MongoDatabase database, String mediaId) {
        return Optional.ofNullable(media(database).find(Filters.eq("_id", mediaId)).first()).map(Media::of);
    }

    /** Total size of the ready media of one uploader. */
    long storedBytes(MongoDatabase database, String uploader) {
        Document sum = media(database).aggregate(List.of(
                com.mongodb.client.model.Aggregates.match(Filters.and(Filters.eq("uploader", uploader),
                        Filters.eq("state", Media.READY))),
                com.mongodb.client.model.Aggregates.group("$uploader",
                        com.mongodb.client.model.Accumulators.sum("total", "$size")))).first();
        return sum == null ? 0 : sum.get("total", Number.class).longValue();
    }

    long countPending(MongoDatabase database, String uploader, long now) {
        return media(database).countDocuments(Filters.and(Filters.eq("uploader", uploader),
                Filters.in("state", Media.PENDING, Media.UPLOADING), Filters.gt("unused_expires_at", now)));
    }

    /** Moves {@code from} → {@code to} if the media is still in {@code from} (and owned by {@code uploader}). */
    boolean transition(MongoDatabase database, String mediaId, String uploader, String from, String to) {
        return media(database).updateOne(Filters.and(Filters.eq("_id", mediaId), Filters.eq("uploader", uploader),
                Filters.eq("state", from)), Updates.set("state", to)).getModifiedCount() == 1;
    }

    /** Completes an upload in state uploading; false if the media is no longer uploading (expired meanwhile). */
    boolean complete(MongoDatabase database, String mediaId, MediaStore.StoredFile file, String contentType,
            String uploadName) {
        List<Bson> updates = new ArrayList<>(List.of(Updates.set("state", Media.READY),
                Updates.set("file_id", file.fileId()), Updates.set("size", file.length()),
                Updates.set("sha256", file.sha256()), Updates.set("content_type", contentType),
                Updates.set("ref_tracked", true),
                Updates.unset("unused_expires_at")));
        if (uploadName != null) {
            updates.add(Updates.set("upload_name", uploadName));
        }
        return media(database).updateOne(Filters.and(Filters.eq("_id", mediaId), Filters.eq("state", Media.UPLOADING)),
                Updates.combine(updates)).getModifiedCount() == 1;
    }

    /** Not-ready media whose unused lifetime passed. */
    List<Media> expired(MongoDatabase database, long now, int limit) {
        List<Media> result = new ArrayList<>();
        media(database).find(Filters.and(Filters.in("state", Media.PENDING, Media.UPLOADING),
                Filters.lt("unused_expires_at", now))).limit(limit).forEach(doc -> result.add(Media.of(doc)));
        return result;
    }

    /** Deletes a not-ready media document if it is still in the given state. */
    boolean deleteIfState(MongoDatabase database, String mediaId, String state) {
        return media(database).deleteOne(Filters.and(Filters.eq("_id", mediaId), Filters.eq("state", state)))
                .getDeletedCount() == 1;
    }

    /** Marks media as referenced by an event or profile (a hint for the unreferenced sweep, which re-checks). */
    void markReferenced(MongoDatabase database, String mediaId, boolean referenced) {
        media(database).updateOne(Filters.eq("_id", mediaId), Updates.set("referenced", referenced));
    }

    /** Moves media of any state to deleting: downloads and uploads see it as gone from now on. */
    void markDeleting(MongoDatabase database, String mediaId) {
        media(database).updateOne(Filters.eq("_id", mediaId), Updates.set("state", Media.DELETING));
    }

    /**
     * Ready media that is still not flagged as referenced → deleting; false if it changed meanwhile (a reference
     * was recorded or it is gone).
     */
    boolean markDeletingIfUnreferenced(MongoDatabase database, String mediaId) {
        return media(database).updateOne(Filters.and(Filters.eq("_id", mediaId), Filters.eq("state", Media.READY),
                Filters.ne("referenced", true)), Updates.set("state", Media.DELETING)).getModifiedCount() == 1;
    }

    /** Takes a deletion back (a reference appeared between the check and the mark). */
    void restoreReady(MongoDatabase database, String mediaId) {
        media(database).updateOne(Filters.and(Filters.eq("_id", mediaId), Filters.eq("state", Media.DELETING)),
                Updates.combine(Updates.set("state", Media.READY), Updates.set("referenced", true)));
    }

    void delete(MongoDatabase database, String mediaId) {
        media(database).deleteOne(Filters.eq("_id", mediaId));
    }

    /** Media whose deletion was interrupted. */
    List<Media> deleting(MongoDatabase database, int limit) {
        return list(Filters.eq("state", Media.DELETING), database, limit);
    }

    /**
     * Ready media created before {@code before} that no event or profile referenced since upload. Only media
     * uploaded since references are tracked ({@code ref_tracked}) qualify.
     */
    List<Media> unreferenced(MongoDatabase database, long before, int limit) {
        return list(Filters.and(Filters.eq("state", Media.READY), Filters.lt("created_ts", before),
                Filters.eq("ref_tracked", true), Filters.ne("referenced", true)), database, limit);
    }

    /** Ready media created before {@code before}, larger than {@code sizeGt} bytes, with ids after {@code afterId}. */
    List<Media> readyBefore(MongoDatabase database, long before, long sizeGt, String afterId, int limit) {
        List<Media> result = new ArrayList<>();
        media(database).find(Filters.and(Filters.eq("state", Media.READY), Filters.lt("created_ts", before),
                Filters.gt("size", sizeGt), Filters.gt("_id", afterId))).sort(com.mongodb.client.model.Sorts.ascending("_id"))
                .limit(limit).forEach(doc -> result.add(Media.of(doc)));
        return result;
    }

    private static List<Media> list(Bson filter, MongoDatabase database, int limit) {
        List<Media> result = new ArrayList<>();
        media(database).find(filter).limit(limit).forEach(doc -> result.add(Media.of(doc)));
        return result;
    }

    void deleteThumbnails(MongoDatabase database, String mediaId) {
        thumbnails(database).deleteMany(Filters.eq("media_id", mediaId));
    }

    List<String> thumbnailFileIds(MongoDatabase database, String mediaId) {
        List<String> result = new ArrayList<>();
        thumbnails(database).find(Filters.eq("media_id", mediaId)).forEach(d -> result.add(d.getString("file_id")));
        return result;
    }

    Optional<Thumbnail> findThumbnail(MongoDatabase database, String key) {
        return findCachedThumbnail(database, key).map(CachedThumbnail::thumbnail);
    }

    /** A thumbnail with its {@code last_access_ts} (0 if none is recorded: local thumbnails, older remote ones). */
    record CachedThumbnail(Thumbnail thumbnail, long lastAccessTs) {
    }

    Optional<CachedThumbnail> findCachedThumbnail(MongoDatabase database, String key) {
        Document doc = thumbnails(database).find(Filters.eq("_id", key)).first();
        if (doc == null) {
            return Optional.empty();
        }
        Number access = doc.get("last_access_ts", Number.class);
        return Optional.of(new CachedThumbnail(new Thumbnail(doc.getString("file_id"), doc.getString("content_type"),
                doc.get("size", Number.class).longValue(), doc.getInteger("width"), doc.getInteger("height")),
                access == null ? 0 : access.longValue()));
    }

    /** Records that a (remote) thumbnail was served now. */
    void touchThumbnail(MongoDatabase database, String key, long now) {
        thumbnails(database).updateOne(Filters.eq("_id", key), Updates.set("last_access_ts", now));
    }

    /**
     * Thumbnails of owners starting with {@code ownerPrefix} not served since {@code accessedBefore}: key → file id.
     * Records without an access time (cached before it was recorded) get {@code now} first, so their retention
     * starts now.
     */
    java.util.Map<String, String> unusedThumbnails(MongoDatabase database, String ownerPrefix, long accessedBefore,
            long now, int limit) {
        Bson owned = Filters.regex("media_id", "^" + java.util.regex.Pattern.quote(ownerPrefix));
        thumbnails(database).updateMany(Filters.and(owned, Filters.exists("last_access_ts", false)),
                Updates.set("last_access_ts", now));
        java.util.Map<String, String> result = new java.util.LinkedHashMap<>();
        thumbnails(database).find(Filters.and(owned, Filters.lt("last_access_ts", accessedBefore))).limit(limit)
                .forEach(d -> result.put(d.getString("_id"), d.getString("file_id")));
        return result;
    }

    /** Deletes a thumbnail record if it still names {@code fileId} and was not served since {@code accessedBefore}. */
    boolean deleteUnusedThumbnail(MongoDatabase database, String key, String fileId, long accessedBefore) {
        return thumbnails(database).deleteOne(Filters.and(Filters.eq("_id", key), Filters.eq("file_id", fileId),
                Filters.lt("last_access_ts", accessedBefore))).getDeletedCount() == 1;
    }

    /** Records a thumbnail; false if another request recorded the same one first. */
    boolean insertThumbnail(MongoDatabase database, String key, String mediaId, Thumbnail thumbnail) {
        return insertThumbnail(database, key, mediaId, thumbnail, null);
    }

    /** Records a thumbnail, with {@code last_access_ts} if given (cached remote thumbnails); false if one exists. */
    boolean insertThumbnail(MongoDatabase database, String key, String mediaId, Thumbnail thumbnail, Long lastAccessTs) {
        try {
            Document doc = new Document("_id", key).append("media_id", mediaId)
                    .append("file_id", thumbnail.fileId()).append("content_type", thumbnail.contentType())
                    .append("size", thumbnail.size()).append("width", thumbnail.width())
                    .append("height", thumbnail.height());
            if (lastAccessTs != null) {
                doc.append("last_access_ts", lastAccessTs);
            }
            thumbnails(database).insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }
}
