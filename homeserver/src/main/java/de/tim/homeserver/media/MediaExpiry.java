package de.tim.homeserver.media;

import java.time.Clock;
import java.util.List;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes media ids that were created but not uploaded to before {@code unused_expires_at}, and uploads
 * abandoned half-way (a crashed instance), with any bytes stored under them. The bytes go first, then the
 * record, conditional on its state, so a retry after an interruption finishes the job. Runs on every
 * instance every {@code expiry-interval} ({@link PeriodicDomainJob}); a TTL index would do the same on MongoDB but
 * never fires on the wire server.
 */
@Component
class MediaExpiry extends PeriodicDomainJob {

    private static final Logger log = LoggerFactory.getLogger(MediaExpiry.class);
    private static final int BATCH = 500;

    private final MediaRepository repository;
    private final MediaStore store;
    private final MediaProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final MediaReferenceRepository references;
    private final MediaDeletion deletion;
    private final RemoteMediaExpiry remote;

    MediaExpiry(DomainRegistry registry, MediaRepository repository, MediaStore store, MediaProperties properties,
            MediaReferenceRepository references, MediaDeletion deletion, RemoteMediaExpiry remote) {
        super("media-expiry", registry, properties::expiryInterval, false);
        this.remote = remote;
        this.references = references;
        this.deletion = deletion;
        this.repository = repository;
        this.store = store;
        this.properties = properties;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        expire(domain);
    }

    /**
     * One pass over the domain; returns how many media ids were removed: expired created URIs and abandoned
     * uploads, interrupted deletions, media never referenced within {@code unreferenced-expiry}, cached remote
     * media unused for {@code remote-cache-retention} and stale remote fetches ({@link RemoteMediaExpiry}), then
     * GridFS chunks of uploads killed before their files document was written.
     */
    int expire(Domain domain) {
        int removed = expireUnused(domain);
        for (Media media : repository.deleting(domain.database(), BATCH)) {
            deletion.delete(domain.database(), media);
            removed++;
        }
        long now = clock.millis();
        List<Media> unreferenced = properties.unreferencedExpiry() == null ? List.of()
                : repository.unreferenced(domain.database(), now - properties.unreferencedExpiry().toMillis(), BATCH);
        for (Media media : unreferenced) {
            MediaUris.MxcUri uri = new MediaUris.MxcUri(domain.serverName(), media.mediaId());
            if (references.referenced(domain.database(), uri)) {
                repository.markReferenced(domain.database(), media.mediaId(), true);
            } else if (repository.markDeletingIfUnreferenced(domain.database(), media.mediaId())) {
                // an event referencing it may have been stored between the check and the mark
                if (references.referenced(domain.database(), uri)) {
                    repository.restoreReady(domain.database(), media.mediaId());
                } else {
                    deletion.delete(domain.database(), media);
                    removed++;
                }
            }
        }
        removed += remote.expire(domain.database(), now);
        int chunks = store.deleteAbandoned(domain.database(), now - properties.abandonedChunkAge().toMillis());
        if (chunks > 0) {
            log.info("Removed the chunks of {} abandoned uploads", chunks);
        }
        return removed;
    }

    private int expireUnused(Domain domain) {
        int removed = 0;
        List<Media> expired = repository.expired(domain.database(), clock.millis(), BATCH);
        for (Media media : expired) {
            store.deleteNamed(domain.database(), media.mediaId());
            if (repository.deleteIfState(domain.database(), media.mediaId(), media.state())) {
                removed++;
            }
        }
        return removed;
    }
}
