package de.tim.push.delivery;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The push delivery worker: consumes {@code push-notifications} and posts each to its pusher's gateway URL.
 *
 * @param enabled               run the worker (default true)
 * @param groupId               Kafka consumer group (default {@code tim-push-delivery})
 * @param concurrency           consumer threads (default 3; at most the topic's partition count is useful). Retries
 *                              block the partitions of their thread, so more threads isolate a failing gateway better
 * @param initialInterval       first retry delay after a transient failure (default 500ms)
 * @param multiplier            back-off multiplier (default 2.0)
 * @param maxInterval           longest delay between two attempts (default 30s)
 * @param maxElapsedTime        the retry bound: after this much back-off a record goes to {@code push-notifications-dlt}
 *                              (default 15m)
 * @param requestTimeout        timeout of one call to a push gateway (default 10s)
 * @param dedupRetention        how long a delivered record id is remembered (default 7d)
 * @param expiryInterval        how often expired delivery entries are removed (default 10m)
 * @param allowedGatewayPrefixes if not empty, gateway URLs must start with one of these prefixes; others are
 *                              dead-lettered without a call (default empty: any http(s) URL)
 */
@ConfigurationProperties(DeliveryProperties.PREFIX)
public record DeliveryProperties(
        Boolean enabled,
        String groupId,
        Integer concurrency,
        Duration initialInterval,
        Double multiplier,
        Duration maxInterval,
        Duration maxElapsedTime,
        Duration requestTimeout,
        Duration dedupRetention,
        Duration expiryInterval,
        List<String> allowedGatewayPrefixes) {

    public static final String PREFIX = "tim.push.delivery";

    public DeliveryProperties {
        enabled = enabled == null || enabled;
        groupId = groupId == null ? "tim-push-delivery" : groupId;
        concurrency = concurrency == null ? 3 : concurrency;
        initialInterval = initialInterval == null ? Duration.ofMillis(500) : initialInterval;
        multiplier = multiplier == null ? 2.0 : multiplier;
        maxInterval = maxInterval == null ? Duration.ofSeconds(30) : maxInterval;
        maxElapsedTime = maxElapsedTime == null ? Duration.ofMinutes(15) : maxElapsedTime;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        dedupRetention = dedupRetention == null ? Duration.ofDays(7) : dedupRetention;
        expiryInterval = expiryInterval == null ? Duration.ofMinutes(10) : expiryInterval;
        allowedGatewayPrefixes = allowedGatewayPrefixes == null ? List.of() : List.copyOf(allowedGatewayPrefixes);
    }
}
