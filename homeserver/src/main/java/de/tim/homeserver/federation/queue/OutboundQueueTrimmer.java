package de.tim.homeserver.federation.queue;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Caps each destination's outbound queue ({@link OutboundQueueProperties}): every {@code trim-interval} it drops
 * entries queued longer than {@code max-age} and the oldest beyond {@code max-events-per-destination}, counting
 * them in {@value #METRIC}{reason=age|count} and logging destination and number (never event ids or content).
 * The destination catches up on what it missed by {@code /get_missing_events} and {@code /backfill} once it takes
 * transactions again. Deletes are idempotent, so several instances may trim the same queue.
 */
@Component
class OutboundQueueTrimmer extends PeriodicDomainJob {

    private static final Logger log = LoggerFactory.getLogger(OutboundQueueTrimmer.class);
    static final String METRIC = "tim.homeserver.federation.queue.dropped";

    private final OutboundQueueRepository queue;
    private final OutboundQueueProperties properties;
    private final MeterRegistry meters;

    OutboundQueueTrimmer(DomainRegistry registry, OutboundQueueRepository queue, OutboundQueueProperties properties,
            ObjectProvider<MeterRegistry> meters) {
        super("federation-queue-trim", registry, properties::trimInterval, true);
        this.queue = queue;
        this.properties = properties;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
    }

    void trim(Domain domain) {
        runFor(domain, System.currentTimeMillis());
    }

    /** One pass over the domain's destinations. */
    @Override
    protected void runFor(Domain domain, long now) {
        queue.stampUndated(domain.database(), now);
        long cutoff = now - properties.maxAge().toMillis();
        for (String destination : queue.destinations(domain.database())) {
            dropped(domain, destination, "age", queue.dropOlderThan(domain.database(), destination, cutoff));
            dropped(domain, destination, "count",
                    queue.dropOldestBeyond(domain.database(), destination, properties.maxEventsPerDestination()));
        }
    }

    private void dropped(Domain domain, String destination, String reason, long count) {
        if (count <= 0) {
            return;
        }
        meters.counter(METRIC, "reason", reason).increment(count);
        log.warn("Dropped {} queued events of {} for destination {} ({} limit); it catches up by get_missing_events/backfill",
                count, domain.serverName(), destination, reason);
    }
}
