package de.tim.homeserver.notification;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.springframework.stereotype.Component;

/**
 * Deletes stored notifications older than {@code tim.homeserver.push.retention} every {@code prune-interval}
 * (no TTL indexes: they never expire on the wire server). Runs on every instance; deleting is idempotent.
 */
@Component
class NotificationPruning extends PeriodicDomainJob {

    private final DomainRegistry registry;
    private final NotificationRepository repository;
    private final UnreadCountRepository counts;
    private final NotificationProperties properties;

    NotificationPruning(DomainRegistry registry, NotificationRepository repository, UnreadCountRepository counts,
            NotificationProperties properties) {
        super("notification-pruning", registry, properties::pruneInterval, true);
        this.registry = registry;
        this.repository = repository;
        this.counts = counts;
        this.properties = properties;
    }

    /** One pass over all domains; returns the number of deleted notifications. */
    long pruneOnce(long now) {
        long deleted = 0;
        for (Domain domain : registry.all()) {
            deleted += prune(domain, now);
        }
        return deleted;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        prune(domain, now);
    }

    private long prune(Domain domain, long now) {
        long before = now - properties.retention().toMillis();
        // completed-evaluation markers only matter while a copy of the event can still be evaluated
        long markersBefore = now - 2 * properties.maxEventAge().toMillis();
        long deleted = repository.deleteOlderThan(domain.database(), before);
        counts.deleteOlderThan(domain.database(), before);
        repository.deleteEvaluatedBefore(domain.database(), markersBefore);
        return deleted;
    }
}
