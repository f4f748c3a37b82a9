package de.tim.push.retention;

import java.net.URI;
import java.time.Duration;
import java.time.Period;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The retention worker (A_22811): tracks the last activity per room from {@code room-events} and deletes rooms
 * inactive for longer than their domain's period through the homeserver admin API.
 *
 * @param enabled                 run the worker (default true)
 * @param groupId                 Kafka consumer group for {@code room-events} (default {@code tim-retention})
 * @param defaultInactivityPeriod inactivity after which a room is deleted, for domains without their own setting
 *                                (default {@code 6m}: six calendar months; Spring period syntax, e.g. {@code 90d})
 * @param dryRun                  only write audit records marked {@code dryRun}, delete nothing (default false)
 * @param purgeInterval           pause between two purge runs (default 1h)
 * @param scheduleEnabled         run the purge schedule in this instance (default true); with several instances,
 *                                enable it in one (deletions are idempotent, but need not run twice)
 * @param batchSize               rooms handled per domain and run at most (default 500)
 * @param adminRequestTimeout     timeout of one admin API call (default 30s)
 * @param policyApiToken          bearer token the Org-Admin portal presents to the retention policy API
 *                                ({@code /_tim/retention/v1/policies/{domain}}); unset disables that API
 * @param domains                 per Matrix domain: the homeserver admin API and configured defaults; rooms of
 *                                domains not listed here are tracked but never deleted
 */
@ConfigurationProperties(RetentionProperties.PREFIX)
public record RetentionProperties(
        Boolean enabled,
        String groupId,
        Period defaultInactivityPeriod,
        Boolean dryRun,
        Duration purgeInterval,
        Boolean scheduleEnabled,
        Integer batchSize,
        Duration adminRequestTimeout,
        String policyApiToken,
        Map<String, Domain> domains) {

    public static final String PREFIX = "tim.push.retention";

    public RetentionProperties {
        enabled = enabled == null || enabled;
        groupId = groupId == null ? "tim-retention" : groupId;
        defaultInactivityPeriod = defaultInactivityPeriod == null ? Period.ofMonths(6) : defaultInactivityPeriod;
        dryRun = dryRun != null && dryRun;
        purgeInterval = purgeInterval == null ? Duration.ofHours(1) : purgeInterval;
        scheduleEnabled = scheduleEnabled == null || scheduleEnabled;
        batchSize = batchSize == null ? 500 : batchSize;
        adminRequestTimeout = adminRequestTimeout == null ? Duration.ofSeconds(30) : adminRequestTimeout;
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    /**
     * One homeserver domain.
     *
     * @param adminBaseUrl      base URL of the homeserver admin API serving this domain (Synapse-compatible
     *                          {@code DELETE /_synapse/admin/v2/rooms/{roomId}})
     * @param adminToken        bearer token of a server admin of this domain
     * @param inactivityPeriod  configured period for this domain (the Org-Admin's setting, stored through the policy
     *                          API, takes precedence)
     * @param enabled           configured switch for this domain (default true; the Org-Admin's setting takes precedence)
     */
    public record Domain(URI adminBaseUrl, String adminToken, Period inactivityPeriod, Boolean enabled) {
    }
}
