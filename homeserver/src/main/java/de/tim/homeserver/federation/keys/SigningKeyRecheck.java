package de.tim.homeserver.federation.keys;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.springframework.stereotype.Component;

/**
 * Every {@code recheck-interval} re-reads the signing key of each served domain (one small read per domain), so an
 * instance picks up a key rotated elsewhere even when the signal of {@link SigningKeyRefreshListener} was lost or
 * Kafka is off.
 */
@Component
class SigningKeyRecheck extends PeriodicDomainJob {

    private final DomainRegistry registry;

    SigningKeyRecheck(DomainRegistry registry, SigningKeyProperties properties) {
        super("signing-key-recheck", registry, properties::recheckInterval, false);
        this.registry = registry;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        registry.refreshSigningKey(domain.serverName());
    }
}
