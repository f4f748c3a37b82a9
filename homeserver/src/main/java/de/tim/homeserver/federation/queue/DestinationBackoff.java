package de.tim.homeserver.federation.queue;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.FederationProperties;
import org.springframework.stereotype.Component;

/**
 * The backoff of destinations ({@code federation_destinations}) for senders outside this package (the
 * reliable EDU sender): the same state and the same doubling from {@code retry-initial} up to
 * {@code retry-max} as the PDU transactions, so a destination that is down is tried at the same pace by both.
 */
@Component
public class DestinationBackoff {

    private final DestinationRepository destinations;
    private final FederationProperties properties;

    DestinationBackoff(DestinationRepository destinations, FederationProperties properties) {
        this.destinations = destinations;
        this.properties = properties;
    }

    /** Whether the destination is backing off at {@code now}. */
    public boolean isBackingOff(Domain domain, String destination, long now) {
        return destinations.backoff(domain.database(), destination).retryAt() > now;
    }

    /** Records a failed transaction; returns the delay until the next attempt in milliseconds. */
    public long failed(Domain domain, String destination) {
        DestinationRepository.Backoff before = destinations.backoff(domain.database(), destination);
        int failures = before.failures() + 1;
        long delay = Math.min(properties.retryMax().toMillis(), properties.retryInitial().toMillis() << Math.min(failures - 1, 20));
        destinations.failed(domain.database(), destination,
                new DestinationRepository.Backoff(failures, System.currentTimeMillis() + delay));
        return delay;
    }

    /** Records a successful transaction (the destination is healthy again). */
    public void succeeded(Domain domain, String destination) {
        destinations.succeeded(domain.database(), destination);
    }
}
