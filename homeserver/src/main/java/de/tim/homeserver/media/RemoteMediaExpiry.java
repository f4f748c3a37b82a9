package de.tim.homeserver.media;

import java.util.Map;

import com.mongodb.client.MongoDatabase;
import org.springframework.stereotype.Component;

/**
 * The part of {@link MediaExpiry} for media of other servers (collection {@code media_remote}):
 * <ul>
 * <li>cached copies not served within {@code remote-cache-retention}: record ready → expiring (only if still unused,
 * so a download in between keeps it), its bytes, the record last;</li>
 * <li>cached remote thumbnails not served within the same retention, each by its own last access (a thumbnail in
 * use outlives an unused original): record (conditional on file and access), then bytes.
 * A fetch never revives an expiring copy, so nothing it stores is deleted here; an interrupted pass leaves an
 * expiring record that the next pass finishes;</li>
 * <li>{@code fetching} records older than {@code remote-fetch-timeout} (a fetch interrupted by a crash): the
 * complete file it may have stored before that bound goes (chunks without a files document are the GridFS sweep's),
 * then the record, unless a new fetch took it over meanwhile.</li>
 * </ul>
 * Every step is conditional and idempotent, so passes on several instances or after a crash are harmless.
 */
@Component
class RemoteMediaExpiry {

    private static final int BATCH = 500;

    private final RemoteMediaRepository remote;
    private final MediaRepository media;
    private final MediaStore store;
    private final MediaProperties properties;

    RemoteMediaExpiry(RemoteMediaRepository remote, MediaRepository media, MediaStore store, MediaProperties properties) {
        this.remote = remote;
        this.media = media;
        this.store = store;
        this.properties = properties;
    }

    /** One pass at {@code now}; returns how many remote media records were removed. */
    int expire(MongoDatabase database, long now) {
        int removed = 0;
        for (RemoteMediaRepository.Swept interrupted : remote.expiring(database, BATCH)) {
            removeCopy(database, interrupted);
            removed++;
        }
        long accessedBefore = now - properties.remoteCacheRetention().toMillis();
        for (RemoteMediaRepository.Swept unused : remote.unusedSince(database, accessedBefore, BATCH)) {
            if (remote.markExpiring(database, unused, accessedBefore)) {
                removeCopy(database, unused);
                removed++;
            }
        }
        for (Map.Entry<String, String> thumbnail : media.unusedThumbnails(database, RemoteMediaService.PREFIX,
                accessedBefore, now, BATCH).entrySet()) {
            // record first: a crash in between leaves bytes nobody serves, never a record without bytes
            if (media.deleteUnusedThumbnail(database, thumbnail.getKey(), thumbnail.getValue(), accessedBefore)) {
                store.delete(database, thumbnail.getValue());
            }
        }
                long startedBefore = now - properties.remoteFetchTimeout().toMillis();
        for (RemoteMediaRepository.Swept stale : remote.staleFetching(database, startedBefore, BATCH)) {
            store.deleteNamedBefore(database, RemoteMediaService.PREFIX + stale.id(), startedBefore);
            if (remote.deleteStaleFetching(database, stale)) {
                removed++;
            }
        }
        return removed;
    }

    private void removeCopy(MongoDatabase database, RemoteMediaRepository.Swept copy) {
        if (copy.fileId() != null) {
            store.delete(database, copy.fileId());
        }
        remote.deleteExpiring(database, copy.id());
    }
}
