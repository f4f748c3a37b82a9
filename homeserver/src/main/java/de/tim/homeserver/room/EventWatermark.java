package de.tim.homeserver.room;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import org.springframework.stereotype.Component;

/**
 * The highest event position up to which every event is readable. Positions are allocated just before
 * the event insert that carries them, so the allocated maximum may run ahead of the inserted events;
 * reading up to it could skip an event that lands a moment later. The watermark is the allocated
 * maximum once all positions up to it are present; a gap that stays open longer than
 * {@value #GAP_GRACE_MS} ms (an append that crashed between allocation and insert) is skipped.
 */
@Component
public class EventWatermark {

    static final long GAP_GRACE_MS = 2_000;

    private final SyncPositions positions;
    private final EventRepository events;
    private final ConcurrentMap<String, Long> complete = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, long[]> gaps = new ConcurrentHashMap<>();

    EventWatermark(SyncPositions positions, EventRepository events) {
        this.positions = positions;
        this.events = events;
    }

    /** The highest position {@link #upTo} has declared readable so far, without reading anything (0 before). */
    long readable(Domain domain) {
        return complete.getOrDefault(domain.databaseName(), 0L);
    }

    public long upTo(Domain domain) {
        String key = domain.databaseName();
        long allocated = positions.current(domain, StreamPositions.EVENTS);
        Long seenBefore = complete.get(key);
        // at the first look, gaps below the newest stored event are old (purged rooms, crashed appends)
        long known = seenBefore != null ? seenBefore : complete.merge(key, events.maxPos(domain.database()), Math::max);
        if (allocated <= known) {
            return known;
        }
        long gap = events.firstGap(domain.database(), known, allocated);
        if (gap < 0) {
            complete.merge(key, allocated, Math::max);
            gaps.remove(key);
            return allocated;
        }
        long now = System.currentTimeMillis();
        long[] seen = gaps.compute(key, (k, g) -> g == null || g[0] != gap ? new long[] {gap, now} : g);
        if (now - seen[1] > GAP_GRACE_MS) {
            complete.merge(key, gap, Math::max);
            gaps.remove(key);
            return upTo(domain);
        }
        long readable = gap - 1;
        complete.merge(key, readable, Math::max);
        return Math.max(readable, known);
    }
}
