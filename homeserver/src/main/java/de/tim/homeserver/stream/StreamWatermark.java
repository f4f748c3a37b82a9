package de.tim.homeserver.stream;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * "Every change up to here is readable" for a {@link StreamPositions#LOGGED logged stream}: the highest
 * position {@code w} such that every position in {@code (floor, w]} has a {@link StreamChangeLog} entry (its
 * write is complete, or readers gave it up). Documents overwritten per key cannot show gaps themselves (a later
 * write of the same key replaces the earlier position), the append-only log can.
 *
 * <p>A gap (a position allocated but not recorded) holds readers back; once this instance has seen the same gap
 * for longer than {@code gap-grace} it inserts a {@code skipped} entry for it and reads on. Whoever inserts the
 * entry first wins: the writer (then it is a normal entry) or the reader (then the writer re-stamps its change
 * with a new position, see {@link StreamChangeLog}). The result per stream never decreases on an instance.
 * Each instance keeps what it has established and reads only the entries above it; concurrent callers of one
 * stream share one read.
 */
@Component
public class StreamWatermark {

    private final StreamChangeLogRepository repository;
    private final StreamPositions positions;
    private final long graceMs;
    private final Clock clock;
    private final ConcurrentMap<String, State> states = new ConcurrentHashMap<>();

    @Autowired
    StreamWatermark(StreamChangeLogRepository repository, StreamPositions positions, StreamProperties properties) {
        this(repository, positions, properties, Clock.systemUTC());
    }

    StreamWatermark(StreamChangeLogRepository repository, StreamPositions positions, StreamProperties properties, Clock clock) {
        this.repository = repository;
        this.positions = positions;
        this.graceMs = properties.gapGrace().toMillis();
        this.clock = clock;
    }

    private static final class State {
        final ReentrantLock lock = new ReentrantLock();
        volatile long known = -1;
        long gap;
        long gapSince;
    }

    /** The readable end of the stream (reads the allocated maximum). */
    public long upTo(Domain domain, String stream) {
        return upTo(domain, stream, positions.current(domain, stream));
    }

    /** The readable end of the stream, given its allocated maximum (read by the caller, e.g. once per wake-up). */
    public long upTo(Domain domain, String stream, long allocated) {
        if (!StreamPositions.LOGGED.contains(stream)) {
            // its writers record nothing: every position would look like a gap
            throw new IllegalArgumentException("not a logged stream: " + stream);
        }
        State state = states.computeIfAbsent(domain.databaseName() + "\n" + stream, k -> new State());
        long known = state.known;
        if (known >= 0 && allocated <= known) {
            return known;
        }
        state.lock.lock();
        try {
            return advance(domain.database(), stream, allocated, state);
        } finally {
            state.lock.unlock();
        }
    }

    private long advance(MongoDatabase database, String stream, long allocated, State state) {
        if (state.known < 0) {
            state.known = repository.floor(database, stream);
        }
        while (allocated > state.known) {
            long known = state.known;
            List<Long> present = repository.positions(database, stream, known, allocated);
            long expected = known + 1;
            for (long p : present) {
                if (p == expected) {
                    expected++;
                } else if (p > expected) {
                    break;
                }
            }
            long readable = expected - 1;
            state.known = readable;
            if (readable >= allocated) {
                state.gap = 0;
                return readable;
            }
            long gap = expected;
            long now = clock.millis();
            if (state.gap != gap) {
                long floor = repository.floor(database, stream);
                if (floor > readable) {
                    // pruned by another instance while this one lagged: everything up to the floor is complete
                    state.known = floor;
                    continue;
                }
                state.gap = gap;
                state.gapSince = now;
                return readable;
            }
            if (now - state.gapSince <= graceMs) {
                return readable;
            }
            // a writer that died (or is very late): give the position up; a late writer then re-stamps its change
            repository.insert(database, stream, gap, now, true);
            state.gap = 0;
        }
        return state.known;
    }

    /** Whether {@code upTo} is behind the allocated maximum (a write in flight or a gap in its grace time). */
    public boolean lagging(Domain domain, String stream, long allocated) {
        return upTo(domain, stream, allocated) < allocated;
    }
}
