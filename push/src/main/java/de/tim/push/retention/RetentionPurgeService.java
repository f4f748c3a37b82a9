package de.tim.push.retention;

import java.time.Clock;
import java.time.Instant;

import de.tim.push.retention.HomeserverAdminClient.Result;
import de.tim.push.retention.RetentionAuditRepository.AuditEntry;
import de.tim.push.retention.RoomActivityRepository.RoomActivity;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One purge run: for every configured domain whose retention is enabled, rooms inactive longer than the domain's
 * period are deleted through the homeserver admin API (or, in dry-run mode, only audited). Each decision leaves an
 * audit record; rooms whose deletion failed stay tracked and are tried again on the next run.
 */
public class RetentionPurgeService {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurgeService.class);

    private final RetentionProperties properties;
    private final RetentionPolicyService policies;
    private final RoomActivityRepository activity;
    private final RetentionAuditRepository audit;
    private final HomeserverAdminClient admin;
    private final Clock clock;
    private final MeterRegistry meters;

    RetentionPurgeService(RetentionProperties properties, RetentionPolicyService policies, RoomActivityRepository activity,
                          RetentionAuditRepository audit, HomeserverAdminClient admin, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.policies = policies;
        this.activity = activity;
        this.audit = audit;
        this.admin = admin;
        this.clock = clock;
        this.meters = meters;
    }

    /** Counts of one run. */
    public record RunSummary(int deleted, int dryRun, int failed) {
    }

    public RunSummary purgeInactiveRooms() {
        int deleted = 0;
        int dry = 0;
        int failed = 0;
        for (var entry : properties.domains().entrySet()) {
            String domain = entry.getKey();
            RetentionProperties.Domain config = entry.getValue();
            RetentionPolicy policy = policies.effectivePolicy(domain);
            if (!policy.enabled()) {
                continue;
            }
            if (config.adminBaseUrl() == null || config.adminToken() == null) {
                log.warn("Retention for domain {} has no admin-base-url or admin-token: nothing deleted", domain);
                continue;
            }
            Instant now = clock.instant();
            for (RoomActivity room : activity.inactiveSince(domain, policy.cutoff(now), properties.batchSize())) {
                if (properties.dryRun()) {
                    audit.append(new AuditEntry(domain, room.roomId(), room.lastActivity(), now,
                            policy.inactivityPeriod().toString(), "dry-run", null));
                    dry++;
                    continue;
                }
                Result result = admin.deleteRoom(config.adminBaseUrl(), config.adminToken(), room.roomId());
                switch (result) {
                    case Result.Deleted d -> {
                        audit.append(new AuditEntry(domain, room.roomId(), room.lastActivity(), now,
                                policy.inactivityPeriod().toString(), "deleted", d.deleteId()));
                        activity.forget(room);
                        deleted++;
                    }
                    case Result.NotFound n -> {
                        audit.append(new AuditEntry(domain, room.roomId(), room.lastActivity(), now,
                                policy.inactivityPeriod().toString(), "already-gone", null));
                        activity.forget(room);
                        deleted++;
                    }
                    case Result.Failed f -> {
                        log.warn("Deleting an inactive room of domain {} failed ({}); retried next run", domain, f.reason());
                        failed++;
                    }
                }
            }
        }
        meters.counter("tim.push.retention.rooms", "outcome", "deleted").increment(deleted);
        meters.counter("tim.push.retention.rooms", "outcome", "dry-run").increment(dry);
        meters.counter("tim.push.retention.rooms", "outcome", "failed").increment(failed);
        if (deleted + dry + failed > 0) {
            log.info("Retention run: {} rooms deleted, {} dry-run, {} failed", deleted, dry, failed);
        }
        return new RunSummary(deleted, dry, failed);
    }
}
