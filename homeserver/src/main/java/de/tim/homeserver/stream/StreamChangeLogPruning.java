package de.tim.homeserver.stream;

import java.time.Clock;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes {@link StreamChangeLog} entries that no reader needs: at or below this instance's watermark and older
 * than {@code change-log-retention} (other instances read the entries above what they have established; one that
 * lags behind a prune jumps to the floor). The floor is raised before the entries go, so an interrupted prune
 * leaves nothing a reader could mistake for a gap. Runs every {@code prune-interval} on every instance;
 * idempotent. (No TTL index: the wire server never expires them.)
 */
@Component
class StreamChangeLogPruning implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamChangeLogPruning.class);

    private final DomainRegistry registry;
    private final StreamChangeLogRepository repository;
    private final StreamWatermark watermark;
    private final StreamProperties properties;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;
    private Thread worker;

    StreamChangeLogPruning(DomainRegistry registry, StreamChangeLogRepository repository, StreamWatermark watermark,
            StreamProperties properties) {
        this.registry = registry;
        this.repository = repository;
        this.watermark = watermark;
        this.properties = properties;
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

    private void run() {
        while (running) {
            try {
                Thread.sleep(properties.pruneInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (Domain domain : registry.all()) {
                for (String stream : StreamPositions.LOGGED) {
                    try {
                        prune(domain, stream, clock.millis());
                    } catch (RuntimeException e) {
                        log.warn("Stream change log pruning failed for {} {}: {}", domain, stream, e.toString());
                    }
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("stream-change-log-pruning").start(this::run);
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
