package de.tim.push.gateway;

/**
 * What a push provider answered for one device.
 *
 * @param kind   the classification
 * @param reason the provider's error code or HTTP status (never a pushkey or payload), for logs and metrics
 */
public record ProviderOutcome(Kind kind, String reason) {

    /** Classification of a provider answer. */
    public enum Kind {
        /** accepted by the provider */
        DELIVERED,
        /** the pushkey is permanently invalid (unregistered, malformed, not for this app): the pusher must go */
        REJECTED,
        /** worth retrying later: 429, 5xx, network errors, expired provider credentials */
        TRANSIENT,
        /** permanent failure that is not the pushkey's fault (configuration, payload): retrying cannot help */
        FAILED
    }

    public static ProviderOutcome delivered() {
        return new ProviderOutcome(Kind.DELIVERED, "ok");
    }

    public static ProviderOutcome rejected(String reason) {
        return new ProviderOutcome(Kind.REJECTED, reason);
    }

    public static ProviderOutcome transientFailure(String reason) {
        return new ProviderOutcome(Kind.TRANSIENT, reason);
    }

    public static ProviderOutcome failed(String reason) {
        return new ProviderOutcome(Kind.FAILED, reason);
    }
}
