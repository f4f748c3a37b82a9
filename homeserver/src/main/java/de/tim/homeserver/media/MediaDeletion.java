package de.tim.homeserver.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * Deletes local media: for the admin API, purged rooms and the expiry job. Write order, each step
 * idempotent: the record moves to {@code deleting} (never served again), thumbnail bytes and records go,
 * the bytes go, and the record goes last — an interruption leaves a {@code deleting} record that
 * {@link MediaExpiry} (or a re-run) finishes, never bytes without a record.
 */
@Service
public class MediaDeletion {

    private static final int BATCH = 500;
    /** Synapse refuses timestamps that look like seconds; the same bound. */
    private static final long MIN_BEFORE_TS = 30_000_000_000L;

    private final MediaRepository repository;
    private final MediaReferenceRepository references;
    private final MediaStore store;

    MediaDeletion(MediaRepository repository, MediaReferenceRepository references, MediaStore store) {
        this.repository = repository;
        this.references = references;
        this.store = store;
    }

    /** {@code DELETE /_synapse/admin/v1/media/{serverName}/{mediaId}}: the deleted ids (one). */
    public List<String> deleteOne(Domain domain, String serverName, String mediaId) {
        if (!domain.serverName().equals(serverName)) {
            throw MatrixException.invalidParam("Can only delete local media");
        }
        MediaService.validate(serverName, mediaId);
        Media media = repository.find(domain.database(), mediaId)
                .orElseThrow(() -> MatrixException.notFound("Unknown media"));
        delete(domain.database(), media);
        return List.of(mediaId);
    }

    /**
     * {@code POST /_synapse/admin/v1/media/delete}: local media created before {@code beforeTs} and larger
     * than {@code sizeGt} bytes; with {@code keepProfiles} media used as a profile avatar stays.
     */
    public List<String> deleteBefore(Domain domain, long beforeTs, long sizeGt, boolean keepProfiles) {
        if (beforeTs < MIN_BEFORE_TS) {
            throw MatrixException.invalidParam("Query parameter before_ts you provided is from the year 1970. "
                    + "Double check that you are providing a timestamp in milliseconds.");
        }
        if (sizeGt < 0) {
            throw MatrixException.invalidParam("Query parameter size_gt must be a positive integer.");
        }
        MongoDatabase db = domain.database();
        List<String> deleted = new ArrayList<>();
        String after = "";
        while (true) {
            List<Media> page = repository.readyBefore(db, beforeTs, sizeGt, after, BATCH);
            for (Media media : page) {
                after = media.mediaId();
                if (keepProfiles && references.referencedByProfile(db,
                        new MediaUris.MxcUri(domain.serverName(), media.mediaId()))) {
                    continue;
                }
                delete(db, media);
                deleted.add(media.mediaId());
            }
            if (page.size() < BATCH) {
                return deleted;
            }
        }
    }

    /** {@code GET /_synapse/admin/v1/room/{roomId}/media}: {@code local} and {@code remote} mxc URIs. */
    public Map<String, List<String>> roomMedia(Domain domain, String roomId) {
        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (MediaUris.MxcUri uri : references.ofOwner(domain.database(), roomId, Integer.MAX_VALUE)) {
            (uri.serverName().equals(domain.serverName()) ? local : remote).add(uri.uri());
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        result.put("local", local);
        result.put("remote", remote);
        return result;
    }

    /** Deletes the local media if it exists (any state); idempotent. */
    void delete(MongoDatabase db, String mediaId) {
        repository.find(db, mediaId).ifPresent(media -> delete(db, media));
    }

    void delete(MongoDatabase db, Media media) {
        String mediaId = media.mediaId();
        repository.markDeleting(db, mediaId);
        for (String fileId : repository.thumbnailFileIds(db, mediaId)) {
            store.delete(db, fileId);
        }
        store.deleteNamedWithPrefix(db, mediaId + "/");
        repository.deleteThumbnails(db, mediaId);
        if (media.fileId() != null) {
            store.delete(db, media.fileId());
        }
        store.deleteNamed(db, mediaId);
        repository.delete(db, mediaId);
    }
}
