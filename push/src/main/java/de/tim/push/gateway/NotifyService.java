package de.tim.push.gateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches one Push Gateway API notification to the provider of each device's app id, with duplicate
 * suppression per (event id, app id, pushkey). Pushkeys are reported as rejected only for permanent,
 * pushkey-related provider answers (or an app id this gateway does not serve). If any device failed transiently,
 * the whole request fails with 503 so the caller retries; devices already delivered are then suppressed.
 */
public class NotifyService {

    private static final Logger log = LoggerFactory.getLogger(NotifyService.class);

    private final PushGatewayProperties properties;
    private final PushProviders providers;
    private final GatewayDispatchRepository dispatches;
    private final Clock clock;
    private final MeterRegistry meters;

    NotifyService(PushGatewayProperties properties, PushProviders providers, GatewayDispatchRepository dispatches,
                  Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.providers = providers;
        this.dispatches = dispatches;
        this.clock = clock;
        this.meters = meters;
    }

    /** Returns the rejected pushkeys; throws a 503 Matrix error if a device must be retried. */
    public List<String> notify(Notification notification) {
        List<String> rejected = new ArrayList<>();
        boolean retry = false;
        for (Device device : notification.devices()) {
            ProviderOutcome.Kind kind = dispatch(notification, device);
            meters.counter("tim.push.gateway.notifications", "outcome", kind.name().toLowerCase()).increment();
            if (kind == ProviderOutcome.Kind.REJECTED) {
                rejected.add(device.pushkey());
            } else if (kind == ProviderOutcome.Kind.TRANSIENT) {
                retry = true;
            }
        }
        if (retry) {
            throw new MatrixException(503, MatrixErrorCodes.M_UNKNOWN, "A push provider is temporarily unavailable, retry later");
        }
        return rejected;
    }

    private ProviderOutcome.Kind dispatch(Notification notification, Device device) {
        Optional<PushProvider> provider = providers.forApp(device.appId());
        if (provider.isEmpty()) {
            log.warn("Notification for app id {} which this gateway does not serve: pushkey rejected", device.appId());
            return ProviderOutcome.Kind.REJECTED;
        }
        PushMessage message = PushMessage.of(notification, device, properties.apps().get(device.appId()).forwardFields());
        if (notification.eventId() == null) {
            // count-only updates are idempotent and need no duplicate suppression
            return send(provider.get(), message).kind();
        }
        String key = GatewayDispatchRepository.key(notification.eventId(), device.appId(), device.pushkey());
        GatewayDispatchRepository.Claim claim = dispatches.claim(key, clock.instant(), properties.claimLease());
        return switch (claim) {
            case GatewayDispatchRepository.Claim.Settled settled -> {
                meters.counter("tim.push.gateway.duplicates").increment();
                yield "REJECTED".equals(settled.state()) ? ProviderOutcome.Kind.REJECTED : ProviderOutcome.Kind.DELIVERED;
            }
            case GatewayDispatchRepository.Claim.InFlight inFlight -> ProviderOutcome.Kind.TRANSIENT;
            case GatewayDispatchRepository.Claim.Acquired acquired -> {
                ProviderOutcome outcome = send(provider.get(), message);
                switch (outcome.kind()) {
                    case DELIVERED -> dispatches.settle(key, "DELIVERED", clock.instant());
                    case REJECTED -> dispatches.settle(key, "REJECTED", clock.instant());
                    // retrying cannot help: remember it as settled so retries do not hammer the provider
                    case FAILED -> dispatches.settle(key, "FAILED", clock.instant());
                    case TRANSIENT -> dispatches.release(key);
                }
                yield outcome.kind();
            }
        };
    }

    private ProviderOutcome send(PushProvider provider, PushMessage message) {
        ProviderOutcome outcome = provider.send(message);
        switch (outcome.kind()) {
            case FAILED -> log.warn("Push provider failed permanently for app id {}: {}", message.appId(), outcome.reason());
            case TRANSIENT -> log.info("Push provider failed transiently for app id {}: {}", message.appId(), outcome.reason());
            case REJECTED -> log.info("Push provider rejected a pushkey of app id {}: {}", message.appId(), outcome.reason());
            case DELIVERED -> log.debug("Pushed a notification for app id {}", message.appId());
        }
        return outcome;
    }

    /** Removes deduplication entries older than the retention. */
    long expire() {
        return dispatches.expire(clock.instant().minus(properties.dedupRetention()));
    }
}
