package de.tim.homeserver.room;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rooms, events and sync.
 *
 * @param defaultHistoryVisibility {@code m.room.history_visibility} of new rooms unless the request sets
 *                                 one (default {@code shared}; {@code joined} hides everything before a
 *                                 user's join)
 * @param kafkaEnabled             publish persisted events to {@code room-events} and consume it to wake
 *                                 {@code /sync} waiters of other instances (default true)
 * @param outboxInterval           how often the outbox publisher looks for unpublished events besides
 *                                 being woken by appends (default 1s)
 * @param outboxLease              how long the instance that persisted an event alone may publish it; after that
 *                                 (it crashed or cannot reach Kafka) any instance takes the event over (default 30s)
 * @param syncRecheckInterval      a waiting {@code /sync} re-checks this often for changes that wake no
 *                                 one (account data or typing on other instances; default 5s)
 * @param typingMaxTimeout         upper bound of a typing notification's {@code timeout} (default 30s)
 * @param syncCache                the in-memory window of recent events serving incremental syncs
 * @param publicRoomsWithoutToken  answer {@code GET /publicRooms} without an access token, as the Matrix spec
 *                                 allows (default false: TI-M keeps the room directory to the domain's users)
 */
@ConfigurationProperties(RoomProperties.PREFIX)
public record RoomProperties(String defaultHistoryVisibility, Boolean kafkaEnabled, Duration outboxInterval,
        Duration syncRecheckInterval, Duration typingMaxTimeout, SyncCache syncCache,
        Boolean publicRoomsWithoutToken, Duration outboxLease) {

    public static final String PREFIX = "tim.homeserver.rooms";

    public RoomProperties {
        defaultHistoryVisibility = defaultHistoryVisibility == null ? "shared" : defaultHistoryVisibility;
        if (!HistoryVisibility.VALUES.contains(defaultHistoryVisibility)) {
            throw new IllegalArgumentException("unknown history visibility " + defaultHistoryVisibility);
        }
        kafkaEnabled = kafkaEnabled == null || kafkaEnabled;
        outboxInterval = outboxInterval == null ? Duration.ofSeconds(1) : outboxInterval;
        syncRecheckInterval = syncRecheckInterval == null ? Duration.ofSeconds(5) : syncRecheckInterval;
        typingMaxTimeout = typingMaxTimeout == null ? Duration.ofSeconds(30) : typingMaxTimeout;
        syncCache = syncCache == null ? new SyncCache(null, null) : syncCache;
        publicRoomsWithoutToken = publicRoomsWithoutToken != null && publicRoomsWithoutToken;
        outboxLease = outboxLease == null || outboxLease.isNegative() || outboxLease.isZero() ? Duration.ofSeconds(30) : outboxLease;
    }

    /**
     * {@link RoomStreamCache}.
     *
     * @param enabled   serve incremental syncs from the window (default true; false: every sync reads MongoDB)
     * @param maxEvents events kept per domain (default 5000)
     */
    public record SyncCache(Boolean enabled, Integer maxEvents) {

        public SyncCache {
            enabled = enabled == null || enabled;
            maxEvents = maxEvents == null ? 5000 : maxEvents;
            if (maxEvents < 1) {
                throw new IllegalArgumentException("sync-cache.max-events must be positive");
            }
        }
    }
}
