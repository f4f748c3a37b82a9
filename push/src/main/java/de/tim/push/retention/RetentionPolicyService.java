package de.tim.push.retention;

import java.time.Clock;
import java.time.Period;

/**
 * Resolves a domain's retention: the Org-Admin's setting if one was stored, else the domain's configuration, else
 * the default period (enabled). The portal stores the Org-Admin's setting through {@link #setPolicy}.
 */
public class RetentionPolicyService {

    private final RetentionProperties properties;
    private final RetentionPolicyRepository repository;
    private final Clock clock;

    RetentionPolicyService(RetentionProperties properties, RetentionPolicyRepository repository, Clock clock) {
        this.properties = properties;
        this.repository = repository;
        this.clock = clock;
    }

    public RetentionPolicy effectivePolicy(String domain) {
        return repository.find(domain).orElseGet(() -> {
            RetentionProperties.Domain configured = properties.domains().get(domain);
            if (configured == null || (configured.inactivityPeriod() == null && configured.enabled() == null)) {
                return new RetentionPolicy(domain, true, properties.defaultInactivityPeriod(), "default");
            }
            return new RetentionPolicy(domain, configured.enabled() == null || configured.enabled(),
                    configured.inactivityPeriod() == null ? properties.defaultInactivityPeriod() : configured.inactivityPeriod(),
                    "configuration");
        });
    }

    /** The Org-Admin's setting: switch retention on/off and set the period (at least one day). */
    public RetentionPolicy setPolicy(String domain, boolean enabled, Period period) {
        if (period.isNegative() || period.isZero() || period.normalized().toTotalMonths() == 0 && period.getDays() < 1) {
            throw new IllegalArgumentException("the inactivity period must be at least one day");
        }
        repository.save(domain, enabled, period, clock.instant());
        return effectivePolicy(domain);
    }

    /** Drops the Org-Admin's setting; configuration and default apply again. */
    public RetentionPolicy resetPolicy(String domain) {
        repository.delete(domain);
        return effectivePolicy(domain);
    }
}
