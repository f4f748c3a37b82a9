package de.tim.homeserver.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.homeserver.stream.StreamWatermark;
import org.springframework.stereotype.Component;

/**
 * The current positions of the streams whose writes wake {@code /sync} waiters (events, receipts,
 * typing, account data, presence), shared by the syncs of a domain: one read serves every sync woken by the same signal, instead
 * of four reads per sync (200 long-polling users woken together made 800 reads of one collection, which
 * the wire server serialises). A snapshot is used only while the domain's {@link RoomNotifier} signal it
 * was taken under is still the current one (every append, receipt, typing, account data and presence change
 * replaces it after its write) and for at most {@value #MAX_AGE_MS} ms. Other streams are read each time.
 */
@Component
class SyncPositions {

    static final long MAX_AGE_MS = 50;
    /** The streams whose writers wake waiters after their write (account data and presence through {@link SyncSignals}). */
    private static final List<String> STREAMS = List.of(StreamPositions.EVENTS, EphemeralService.RECEIPTS,
            EphemeralService.TYPING, StreamPositions.ACCOUNT_DATA, StreamPositions.PRESENCE);

    private final StreamPositions positions;
    private final StreamWatermark watermark;
    private final RoomNotifier notifier;
    private final ConcurrentMap<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    SyncPositions(StreamPositions positions, StreamWatermark watermark, RoomNotifier notifier) {
        this.positions = positions;
        this.watermark = watermark;
        this.notifier = notifier;
    }

    private record Snapshot(CompletableFuture<Void> signal, long takenAtNanos, Map<String, Long> values) {

        boolean validFor(CompletableFuture<Void> current) {
            return signal == current && !signal.isDone() && System.nanoTime() - takenAtNanos <= MAX_AGE_MS * 1_000_000;
        }
    }

    /** The highest allocated position of the stream, read at most once per signal and {@value #MAX_AGE_MS} ms. */
    long current(Domain domain, String stream) {
        if (!STREAMS.contains(stream)) {
            return positions.current(domain, stream);
        }
        return snapshot(domain).values().get(stream);
    }

    /**
     * The readable end of a {@link StreamPositions#LOGGED logged stream} ({@link StreamWatermark}: every change up
     * to it is visible), for {@code next_batch} and the {@code since < pos <= upTo} reads of a sync.
     */
    long readable(Domain domain, String stream) {
        return watermark.upTo(domain, stream, current(domain, stream));
    }

    /** Whether a logged stream has positions allocated beyond its readable end (a write in flight or a gap). */
    boolean lagging(Domain domain, String stream) {
        return watermark.lagging(domain, stream, current(domain, stream));
    }

    private Snapshot snapshot(Domain domain) {
        String key = domain.databaseName();
        Snapshot s = snapshots.get(key);
        if (s != null && s.validFor(notifier.signal(domain.serverName()))) {
            return s;
        }
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            // the signal is taken before reading: a change notified meanwhile replaces it and the next sync reads again
            CompletableFuture<Void> signal = notifier.signal(domain.serverName());
            s = snapshots.get(key);
            if (s != null && s.validFor(signal)) {
                return s;
            }
            long takenAt = System.nanoTime();
            Map<String, Long> values = new HashMap<>();
            for (String stream : STREAMS) {
                values.put(stream, positions.current(domain, stream));
            }
            s = new Snapshot(signal, takenAt, values);
            snapshots.put(key, s);
            return s;
        } finally {
            lock.unlock();
        }
    }
}
