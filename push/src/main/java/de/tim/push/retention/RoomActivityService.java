package de.tim.push.retention;

import java.time.Clock;
import java.time.Instant;

import de.tim.kafka.topics.RoomEventRecord;

/** Keeps each room's last activity from the persisted room events. */
public class RoomActivityService {

    private final RoomActivityRepository repository;
    private final Clock clock;

    RoomActivityService(RoomActivityRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Records the event as activity of its room. Outliers (not part of the timeline) do not count; timestamps in the
     * future (a remote server's clock) are capped at now so a room cannot be kept alive by a wrong clock.
     */
    public void recordActivity(RoomEventRecord event) {
        if (event.outlier()) {
            return;
        }
        Instant now = clock.instant();
        Instant at = Instant.ofEpochMilli(event.originServerTs());
        repository.recordActivity(event.domain(), event.roomId(), at.isAfter(now) ? now : at);
    }
}
