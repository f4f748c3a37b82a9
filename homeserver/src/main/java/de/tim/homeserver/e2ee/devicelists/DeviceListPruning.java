package de.tim.homeserver.e2ee.devicelists;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.homeserver.stream.StreamProperties;
import de.tim.homeserver.stream.StreamWatermark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes device list change records older than {@code tim.homeserver.streams.device-list-retention} (and below the
 * read watermark). The records would otherwise grow with every key upload forever; a client whose since token is
 * older than the newest deleted record gets every room partner as {@code changed} instead
 * ({@link DeviceListService#delta}). Runs every {@code prune-interval} on every instance; idempotent.
 */
@Component
class DeviceListPruning implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeviceListPruning.class);

    private final DomainRegistry registry;
    private final DeviceListRepository repository;
    private final StreamWatermark watermark;
    private final StreamProperties properties;
    private volatile boolean running;
    private Thread worker;

    DeviceListPruning(DomainRegistry registry, DeviceListRepository repository, StreamWatermark watermark,
            StreamProperties properties) {
        this.registry = registry;
        this.repository = repository;
        this.watermark = watermark;
        this.properties = properties;
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

    private void run() {
        while (running) {
            try {
                Thread.sleep(properties.pruneInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Domain domain : registry.all()) {
                try {
                    prune(domain, System.currentTimeMillis());
                } catch (RuntimeException e) {
                    log.warn("Device list pruning failed for {}: {}", domain, e.toString());
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("device-list-pruning").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
