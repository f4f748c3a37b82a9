package de.tim.push.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.push.delivery.DeliveryExceptions.PermanentDeliveryException;
import de.tim.push.delivery.DeliveryExceptions.TransientDeliveryException;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Delivers one {@link PushNotificationRecord} to its pusher's gateway, at least once and without duplicates: a
 * record id already delivered is skipped; after the gateway accepted it, rejected pushkeys are published to
 * {@code push-rejected-pushkeys} (so the homeserver removes those pushers) and only then is the id marked
 * delivered. Failures are thrown for the container's error handler to retry or dead-letter.
 */
public class DeliveryService {

    private final DeliveryProperties properties;
    private final GatewayClient gateway;
    private final DeliveredNotificationRepository delivered;
    private final KafkaOperations<String, RejectedPushkeyRecord> rejectedTopic;
    private final Clock clock;
    private final MeterRegistry meters;

    DeliveryService(DeliveryProperties properties, GatewayClient gateway, DeliveredNotificationRepository delivered,
                    KafkaOperations<String, RejectedPushkeyRecord> rejectedTopic, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.gateway = gateway;
        this.delivered = delivered;
        this.rejectedTopic = rejectedTopic;
        this.clock = clock;
        this.meters = meters;
    }

    public void deliver(PushNotificationRecord record) {
        if (delivered.isDelivered(record.id())) {
            meters.counter("tim.push.delivery.deduplicated").increment();
            return;
        }
        URI url = gatewayUrl(record.gatewayUrl());
        List<String> rejected = gateway.notify(url, record.notification());
        Device device = record.notification().devices().getFirst();
        if (rejected.contains(device.pushkey())) {
            publishRejected(record, device);
            meters.counter("tim.push.delivery.rejected").increment();
        } else {
            meters.counter("tim.push.delivery.sent").increment();
        }
        delivered.markDelivered(record.id(), clock.instant());
    }

    private URI gatewayUrl(String value) {
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new PermanentDeliveryException("gateway URL is not a URI");
        }
        if (!url.isAbsolute() || !("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
            throw new PermanentDeliveryException("gateway URL is not an absolute http(s) URL");
        }
        if (!properties.allowedGatewayPrefixes().isEmpty()
                && properties.allowedGatewayPrefixes().stream().noneMatch(value::startsWith)) {
            throw new PermanentDeliveryException("gateway URL is not allowed by configuration");
        }
        return url;
    }

    private void publishRejected(PushNotificationRecord record, Device device) {
        RejectedPushkeyRecord rejected = new RejectedPushkeyRecord(record.domain(), record.userId(), device.appId(),
                device.pushkey(), record.gatewayUrl(), clock.millis());
        try {
            rejectedTopic.send(TimTopics.PUSHKEYS_REJECTED.name(), rejected.key(), rejected)
                    .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransientDeliveryException("cannot publish the rejected pushkey: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDeliveryException("interrupted");
        }
    }

    long expire() {
        return delivered.expire(clock.instant().minus(properties.dedupRetention()));
    }
}
