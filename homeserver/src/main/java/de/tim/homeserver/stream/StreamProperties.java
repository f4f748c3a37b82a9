package de.tim.homeserver.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Read watermarks and pruning of the streams that are not room events.
 *
 * @param gapGrace            how long a position that was allocated but not yet recorded as written holds readers
 *                            back before it is given up (a writer that died); a writer that records it later
 *                            moves its change to a new position, so nothing is lost either way (default 2s)
 * @param changeLogRetention  change-log entries below the watermark are deleted once they are older than this
 *                            (other instances may still be reading up to them; default 10m)
 * @param pruneInterval       how often each instance prunes the change log and old device list records (default 1m)
 * @param deviceListRetention device list change records older than this are deleted; a sync or
 *                            {@code /keys/changes} whose token is older than the newest deleted record gets every
 *                            user it shares a room with as {@code changed} (default 30d)
 */
@ConfigurationProperties(StreamProperties.PREFIX)
public record StreamProperties(Duration gapGrace, Duration changeLogRetention, Duration pruneInterval,
        Duration deviceListRetention) {

    public static final String PREFIX = "tim.homeserver.streams";

    public StreamProperties {
        gapGrace = positive(gapGrace, Duration.ofSeconds(2), "gap-grace");
        changeLogRetention = positive(changeLogRetention, Duration.ofMinutes(10), "change-log-retention");
        pruneInterval = positive(pruneInterval, Duration.ofMinutes(1), "prune-interval");
        deviceListRetention = positive(deviceListRetention, Duration.ofDays(30), "device-list-retention");
    }

    /** The defaults. */
    public static StreamProperties defaults() {
        return new StreamProperties(null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + "." + name + " must be positive");
        }
        return value;
    }
}
