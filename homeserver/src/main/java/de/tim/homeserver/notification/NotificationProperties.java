package de.tim.homeserver.notification;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Push rule evaluation, notification counts and pushes.
 *
 * @param enabled           consume {@code room-events} and {@code push-rejected-pushkeys} (default true)
 * @param groupId           consumer group for {@code room-events}, shared by all instances so each event is
 *                          evaluated once (default {@code tim-homeserver-push})
 * @param rejectedGroupId   consumer group for {@code push-rejected-pushkeys} (default {@code tim-homeserver-pushkeys})
 * @param maxEventAge       events older than this (by {@code origin_server_ts}) when evaluated are skipped,
 *                          e.g. after a long outage or a new group starting at the topic's beginning (default 1d)
 * @param maxLimit          upper bound of {@code limit} in {@code GET /notifications} (default 100)
 * @param retention         stored notifications older than this are deleted (default 30d)
 * @param pruneInterval     how often each instance deletes expired notifications (default 1h)
 * @param syncCountWait     how long a {@code /sync} waits for the evaluation of the events it returns before it
 *                          answers the counts evaluated so far (and corrects them in a later response) (default 2s)
 */
@ConfigurationProperties(NotificationProperties.PREFIX)
public record NotificationProperties(Boolean enabled, String groupId, String rejectedGroupId, Duration maxEventAge,
        Integer maxLimit, Duration retention, Duration pruneInterval, Duration syncCountWait) {

    public static final String PREFIX = "tim.homeserver.push";

    public NotificationProperties {
        enabled = enabled == null || enabled;
        groupId = groupId == null || groupId.isBlank() ? "tim-homeserver-push" : groupId;
        rejectedGroupId = rejectedGroupId == null || rejectedGroupId.isBlank() ? "tim-homeserver-pushkeys" : rejectedGroupId;
        maxEventAge = maxEventAge == null ? Duration.ofDays(1) : maxEventAge;
        maxLimit = maxLimit == null || maxLimit < 1 ? 100 : maxLimit;
        retention = retention == null ? Duration.ofDays(30) : retention;
        pruneInterval = pruneInterval == null ? Duration.ofHours(1) : pruneInterval;
        syncCountWait = syncCountWait == null || syncCountWait.isNegative() ? Duration.ofSeconds(2) : syncCountWait;
    }
}
