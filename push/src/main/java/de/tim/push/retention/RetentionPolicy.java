package de.tim.push.retention;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * The effective retention of one domain.
 *
 * @param domain           Matrix domain
 * @param enabled          false if the Org-Admin opted out
 * @param inactivityPeriod rooms inactive longer than this are deleted
 * @param source           where it came from: {@code org-admin}, {@code configuration} or {@code default}
 */
public record RetentionPolicy(String domain, boolean enabled, Period inactivityPeriod, String source) {

    /** Rooms whose last activity is before this instant are due. */
    public Instant cutoff(Instant now) {
        return now.atOffset(ZoneOffset.UTC).minus(inactivityPeriod).toInstant();
    }
}
