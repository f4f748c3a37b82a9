package de.tim.homeserver.stream;

import java.time.Clock;

import com.mongodb.client.MongoDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The write side of the read watermark of the {@link StreamPositions#LOGGED logged streams}. A writer
 * allocates a position ({@link StreamPositions#next}), writes its document carrying the position (overwritten
 * per key: account data per user and type, a receipt per room, user and type...), and then calls
 * {@link #written}. Readers ({@link StreamWatermark}) read only up to the first position without an entry, so
 * a sync never returns a {@code next_batch} at or beyond a position whose write it could not see yet.
 *
 * <p>A writer that is slower than the grace time may find its position given up by a reader (a
 * {@code skipped} entry): it then takes a new position and moves its change there ({@link Restamp}), so the
 * change is delivered after all. A writer that died after its write left the document with its old position:
 * readers skip the gap after the grace time and read the document with the range that covers it.
 */
@Component
public class StreamChangeLog {

    /** Moves a change from a position readers gave up to a new one. */
    @FunctionalInterface
    public interface Restamp {

        /**
         * Re-stamps the change written with {@code from} with {@code to}, only if the document still carries
         * {@code from} (a later write of the same key carries its own position already). Append-only records
         * write a new record with {@code to}.
         */
        void move(long from, long to);
    }

    private final StreamChangeLogRepository repository;
    private final StreamPositionRepository positions;
    private final Clock clock;

    @Autowired
    StreamChangeLog(StreamChangeLogRepository repository, StreamPositionRepository positions) {
        this(repository, positions, Clock.systemUTC());
    }

    StreamChangeLog(StreamChangeLogRepository repository, StreamPositionRepository positions, Clock clock) {
        this.repository = repository;
        this.positions = positions;
        this.clock = clock;
    }

    /**
     * Records that the write carrying {@code pos} of {@code stream} is complete and returns the position that
     * finally carries it ({@code pos}, or a new one if readers had given {@code pos} up meanwhile). Idempotent.
     */
    public long written(MongoDatabase database, String stream, long pos, Restamp restamp) {
        long current = pos;
        while (!repository.insert(database, stream, current, clock.millis(), false)
                && repository.skipped(database, stream, current)) {
            long next = positions.next(database, stream, 1);
            restamp.move(current, next);
            current = next;
        }
        return current;
    }
}
