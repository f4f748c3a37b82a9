package de.tim.push.delivery;

/** Failures of one delivery attempt; messages carry status codes only, never pushkeys or content. */
final class DeliveryExceptions {

    private DeliveryExceptions() {
    }

    /** Worth retrying: network errors, timeouts, 429 and 5xx from the gateway. */
    static final class TransientDeliveryException extends RuntimeException {
        TransientDeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    /** Retrying cannot help: the gateway refused the request as such (4xx) or the URL is not allowed. */
    static final class PermanentDeliveryException extends RuntimeException {
        PermanentDeliveryException(String message) {
            super(message, null, false, false);
        }
    }
}
