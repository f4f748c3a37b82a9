package de.tim.homeserver.e2ee.devicelists;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import org.springframework.stereotype.Component;

/**
 * The highest {@code device_lists} position up to which every change is readable. A position is
 * allocated just before the insert that carries it, so reading up to the allocated maximum could skip
 * a change that lands a moment later (and a client would never learn of that device). As for room
 * events: read up to the first missing position; a gap open longer than {@value #GAP_GRACE_MS} ms
 * (a writer that died between allocation and insert) is skipped.
 */
@Component
class DeviceListWatermark {

    static final long GAP_GRACE_MS = 2_000;

    private final StreamPositions positions;
    private final DeviceListRepository repository;
    private final ConcurrentMap<String, Long> complete = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, long[]> gaps = new ConcurrentHashMap<>();

    DeviceListWatermark(StreamPositions positions, DeviceListRepository repository) {
        this.positions = positions;
        this.repository = repository;
    }

    long upTo(Domain domain) {
        String key = domain.databaseName();
        long allocated = positions.current(domain, StreamPositions.DEVICE_LISTS);
        long known = complete.computeIfAbsent(key, k -> repository.maxPos(domain.database()));
        if (allocated <= known) {
            return known;
        }
        List<Long> present = repository.positions(domain.database(), known, allocated);
        long expected = known + 1;
        for (long p : present) {
            if (p != expected) {
                break;
            }
            expected++;
        }
        if (expected > allocated) {
            complete.merge(key, allocated, Math::max);
            gaps.remove(key);
            return allocated;
        }
        long gap = expected;
        long now = System.currentTimeMillis();
        long[] seen = gaps.compute(key, (k, g) -> g == null || g[0] != gap ? new long[] {gap, now} : g);
        if (now - seen[1] > GAP_GRACE_MS) {
            complete.merge(key, gap, Math::max);
            gaps.remove(key);
            return upTo(domain);
        }
        complete.merge(key, gap - 1, Math::max);
        return Math.max(gap - 1, known);
    }
}
