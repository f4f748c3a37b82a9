package de.tim.homeserver.federation.queue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bounds of the outbound federation queue per destination, so a server that refuses for good (or is down for
 * days) cannot make it grow without end. What is dropped the destination fetches itself when it returns
 * ({@code /get_missing_events}, {@code /backfill}).
 *
 * @param maxAge                    queued events older than this are dropped (default 3d)
 * @param maxEventsPerDestination   at most this many events stay queued per destination, the oldest beyond are
 *                                  dropped (default 10000)
 * @param trimInterval              how often the queues are checked (default 1m)
 */
@ConfigurationProperties(OutboundQueueProperties.PREFIX)
public record OutboundQueueProperties(Duration maxAge, Integer maxEventsPerDestination, Duration trimInterval) {

    public static final String PREFIX = "tim.homeserver.federation.queue";

    public OutboundQueueProperties {
        maxAge = maxAge == null ? Duration.ofDays(3) : maxAge;
        maxEventsPerDestination = maxEventsPerDestination == null ? 10_000 : maxEventsPerDestination;
        trimInterval = trimInterval == null ? Duration.ofMinutes(1) : trimInterval;
        if (maxEventsPerDestination < 1) {
            throw new IllegalArgumentException("max-events-per-destination must be at least 1");
        }
    }
}
