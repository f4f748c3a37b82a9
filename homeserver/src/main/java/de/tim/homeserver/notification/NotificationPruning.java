package de.tim.homeserver.notification;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes stored notifications older than {@code tim.homeserver.push.retention} every {@code prune-interval}
 * (no TTL indexes: they never expire on the wire server). Runs on every instance; deleting is idempotent.
 */
@Component
class NotificationPruning implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationPruning.class);

    private final DomainRegistry registry;
    private final NotificationRepository repository;
    private final UnreadCountRepository counts;
    private final NotificationProperties properties;
    private volatile boolean running;
    private Thread worker;

    NotificationPruning(DomainRegistry registry, NotificationRepository repository, UnreadCountRepository counts,
            NotificationProperties properties) {
        this.registry = registry;
        this.repository = repository;
        this.counts = counts;
        this.properties = properties;
    }

    /** One pass over all domains; returns the number of deleted notifications. */
    long pruneOnce(long now) {
        long deleted = 0;
        long before = now - properties.retention().toMillis();
        // completed-evaluation markers only matter while a copy of the event can still be evaluated
        long markersBefore = now - 2 * properties.maxEventAge().toMillis();
        for (Domain domain : registry.all()) {
            deleted += repository.deleteOlderThan(domain.database(), before);
            counts.deleteOlderThan(domain.database(), before);
            repository.deleteEvaluatedBefore(domain.database(), markersBefore);
        }
        return deleted;
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("notification-pruning").start(() -> {
            while (running) {
                try {
                    pruneOnce(System.currentTimeMillis());
                } catch (RuntimeException e) {
                    log.warn("Pruning notifications failed: {}", e.toString());
                }
                try {
                    Thread.sleep(properties.pruneInterval().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
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
