package de.tim.homeserver.e2ee.devicelists;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.homeserver.stream.StreamProperties;
import de.tim.homeserver.stream.StreamWatermark;
import org.springframework.stereotype.Component;

/**
 * Deletes device list change records older than {@code tim.homeserver.streams.device-list-retention} (and below the
 * read watermark). The records would otherwise grow with every key upload forever; a client whose since token is
 * older than the newest deleted record gets every room partner as {@code changed} instead
 * ({@link DeviceListService#delta}). Runs every {@code prune-interval} on every instance; idempotent.
 */
@Component
class DeviceListPruning extends PeriodicDomainJob {

    private final DeviceListRepository repository;
    private final StreamWatermark watermark;
    private final StreamProperties properties;

    DeviceListPruning(DomainRegistry registry, DeviceListRepository repository, StreamWatermark watermark,
            StreamProperties properties) {
        super("device-list-pruning", registry, properties::pruneInterval, false);
        this.repository = repository;
        this.watermark = watermark;
        this.properties = properties;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        prune(domain, now);
    }

    /** Prunes the domain's records as of {@code now}; returns how many were deleted. */
    long prune(Domain domain, long now) {
        long old = repository.highestBefore(domain.database(), now - properties.deviceListRetention().toMillis());
        long upTo = Math.min(old, watermark.upTo(domain, StreamPositions.DEVICE_LISTS));
        if (upTo <= 0) {
            return 0;
        }
        return repository.prune(domain.database(), upTo);
    }
}
