package de.tim.homeserver.stream;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.springframework.stereotype.Component;

/**
 * Deletes {@link StreamChangeLog} entries that no reader needs: at or below this instance's watermark and older
 * than {@code change-log-retention} (other instances read the entries above what they have established; one that
 * lags behind a prune jumps to the floor). The floor is raised before the entries go, so an interrupted prune
 * leaves nothing a reader could mistake for a gap. Runs every {@code prune-interval} on every instance;
 * idempotent. (No TTL index: the wire server never expires them.)
 */
@Component
class StreamChangeLogPruning extends PeriodicDomainJob {

    private final StreamChangeLogRepository repository;
    private final StreamWatermark watermark;
    private final StreamProperties properties;

    StreamChangeLogPruning(DomainRegistry registry, StreamChangeLogRepository repository, StreamWatermark watermark,
            StreamProperties properties) {
        super("stream-change-log-pruning", registry, properties::pruneInterval, false);
        this.repository = repository;
        this.watermark = watermark;
        this.properties = properties;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        for (String stream : StreamPositions.LOGGED) {
            prune(domain, stream, now);
        }
    }

    /** Prunes the domain's log of {@code stream} as of {@code now}; returns the number of entries deleted. */
    long prune(Domain domain, String stream, long now) {
        long upTo = watermark.upTo(domain, stream);
        long prunable = repository.highestBefore(domain.database(), stream, upTo, now - properties.changeLogRetention().toMillis());
        if (prunable <= 0) {
            return 0;
        }
        repository.raiseFloor(domain.database(), stream, prunable);
        return repository.deleteUpTo(domain.database(), stream, prunable);
    }
}
