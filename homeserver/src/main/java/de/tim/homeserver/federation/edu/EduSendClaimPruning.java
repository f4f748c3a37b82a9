package de.tim.homeserver.federation.edu;

import java.time.Duration;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.domain.PeriodicDomainJob;
import org.springframework.stereotype.Component;

/** Hourly, on every instance: forgets {@link EduSendClaims} older than {@value #KEEP_HOURS} h (idempotent deletes). */
@Component
class EduSendClaimPruning extends PeriodicDomainJob {

    static final long KEEP_HOURS = 1;

    private final EduSendClaims claims;

    EduSendClaimPruning(DomainRegistry registry, EduSendClaims claims) {
        super("edu-send-claim-pruning", registry, () -> Duration.ofHours(1), false);
        this.claims = claims;
    }

    @Override
    protected void runFor(Domain domain, long now) {
        claims.forgetBefore(domain, now - Duration.ofHours(KEEP_HOURS).toMillis());
    }
}
