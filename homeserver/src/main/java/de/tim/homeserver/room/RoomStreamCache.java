package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * In-memory window of the recent room events of each domain, so that incremental {@code /sync}s whose
 * since token lies inside the window find "which of my rooms have new events", the new events and the
 * state group at a position without querying {@code room_events}. MongoDB stays the source of truth:
 * the window holds every event with {@code floor < pos <= covered}; it is fed by this instance's write
 * path ({@link #appended}) and by the {@code room-events} wake listener for other instances' events
 * ({@link #published}), and every position the feeds did not deliver is read from MongoDB in one range
 * query (under the domain's lock, so many syncs woken together cause one query). It is bounded
 * ({@code sync-cache.max-events} per domain, oldest evicted); a since token below the window extends it
 * from MongoDB while that fits, otherwise the caller reads MongoDB as before ({@code null} answers).
 * A purge drops the domain's window.
 *
 * <p>Only positions the {@link EventWatermark} declared readable are filled, so an append in flight is
 * never skipped. Redactions re-read their target, so the cached copy carries {@code redacted_by}.
 */
@Component
public class RoomStreamCache {

    private final EventRepository events;
    private final EventWatermark watermark;
    private final boolean enabled;
    private final int maxEvents;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();

    RoomStreamCache(EventRepository events, EventWatermark watermark, RoomProperties properties) {
        this.events = events;
        this.watermark = watermark;
        this.enabled = properties.syncCache().enabled();
        this.maxEvents = properties.syncCache().maxEvents();
    }

    /** One domain's window. */
    private static final class Window {
        final ReentrantLock lock = new ReentrantLock();
        /** every event with floor < pos <= covered */
        final ConcurrentSkipListMap<Long, StoredEvent> events = new ConcurrentSkipListMap<>();
        final ConcurrentMap<String, ConcurrentSkipListMap<Long, StoredEvent>> byRoom = new ConcurrentHashMap<>();
        final ConcurrentMap<String, Long> positions = new ConcurrentHashMap<>();
        /** delivered by the feeds above covered, moved in by the next fill */
        final ConcurrentSkipListMap<Long, StoredEvent> early = new ConcurrentSkipListMap<>();
        volatile long floor = -1;
        volatile long covered = -1;
    }

    /** The write path: an event this instance persisted, after all its writes (state, redaction) completed. */
    public void appended(Domain domain, StoredEvent event) {
        if (!enabled) {
            return;
        }
        Window w = windows.get(domain.databaseName());
        if (w == null) {
            return;
        }
        offer(domain, w, event);
    }

    /** The {@code room-events} listener: an event persisted (here or on another instance). */
    void published(Domain domain, String eventId, String type, long pos) {
        if (!enabled) {
            return;
        }
        Window w = windows.get(domain.databaseName());
        if (w == null) {
            return;
        }
        boolean missing = pos > w.covered && !w.early.containsKey(pos);
        if (!missing && !EventTypes.REDACTION.equals(type)) {
            return;
        }
        Document doc = events.find(domain.database(), eventId);
        if (doc == null || doc.getString("room_id") == null) {
            return;
        }
        offer(domain, w, StoredEvent.of(doc));
    }

    private void offer(Domain domain, Window w, StoredEvent event) {
        if (event.pos() > w.covered) {
            w.early.put(event.pos(), event);
            while (w.early.size() > maxEvents) {
                w.early.pollFirstEntry();
            }
        }
        // a redaction applied after its target entered the window: re-read the target
        event.pdu().redacts().ifPresent(target -> refresh(domain, w, target.value()));
    }

    /** Drops the domain's window (purges). */
    public void invalidate(Domain domain) {
        windows.remove(domain.databaseName());
    }

    /**
     * Events of the room with {@code after < pos <= upTo}, ascending ({@code forward}) or descending, at
     * most {@code limit}; null when the window cannot answer.
     */
    List<StoredEvent> range(Domain domain, String roomId, long after, long upTo, boolean forward, int limit) {
        Window w = prepare(domain, after, upTo);
        if (w == null) {
            return null;
        }
        List<StoredEvent> result = new ArrayList<>();
        ConcurrentSkipListMap<Long, StoredEvent> room = w.byRoom.get(roomId);
        if (room != null && upTo > after) {
            NavigableMap<Long, StoredEvent> sub = room.subMap(after, false, upTo, true);
            for (StoredEvent e : forward ? sub.values() : sub.descendingMap().values()) {
                if (result.size() >= limit) {
                    break;
                }
                result.add(e);
            }
        }
        return answered(w, after, result);
    }

    /** The rooms among {@code roomIds} with events in {@code after < pos <= upTo}; null when the window cannot answer. */
    List<String> roomsWithEvents(Domain domain, Collection<String> roomIds, long after, long upTo) {
        Window w = prepare(domain, after, upTo);
        if (w == null) {
            return null;
        }
        List<String> result = new ArrayList<>();
        if (upTo > after) {
            for (String roomId : roomIds) {
                ConcurrentSkipListMap<Long, StoredEvent> room = w.byRoom.get(roomId);
                if (room != null && !room.subMap(after, false, upTo, true).isEmpty()) {
                    result.add(roomId);
                }
            }
        }
        return answered(w, after, result);
    }

    /** The answer, unless eviction raised the floor while it was read. */
    private <T> T answered(Window w, long after, T result) {
        if (after < w.floor) {
            return null;
        }
        served.incrementAndGet();
        return result;
    }

    /** Reads answered from the window so far (observability, tests). */
    long served() {
        return served.get();
    }

    /**
     * The room's last event at or before {@code pos} when it lies in the window; null when the window
     * cannot say (the caller asks MongoDB).
     */
    StoredEvent lastAtOrBefore(Domain domain, String roomId, long pos) {
        if (!enabled) {
            return null;
        }
        Window w = windows.get(domain.databaseName());
        if (w == null || w.floor < 0 || pos > w.covered || pos <= w.floor) {
            return null;
        }
        ConcurrentSkipListMap<Long, StoredEvent> room = w.byRoom.get(roomId);
        Map.Entry<Long, StoredEvent> e = room == null ? null : room.floorEntry(pos);
        if (e == null || e.getKey() <= w.floor) {
            return null;
        }
        return e.getValue();
    }

    /** The window covering {@code (after, upTo]}, filled as needed; null if it cannot. */
    private Window prepare(Domain domain, long after, long upTo) {
        if (!enabled) {
            return null;
        }
        Window w = windows.computeIfAbsent(domain.databaseName(), k -> new Window());
        if (w.floor >= 0 && after >= w.floor && upTo <= w.covered) {
            return w;
        }
        long readable = watermark.readable(domain);
        if (upTo > Math.max(readable, w.covered)) {
            return null;
        }
        w.lock.lock();
        try {
            if (w.covered < 0) {
                long start = Math.max(0, Math.min(after, readable));
                w.floor = readable - start > maxEvents ? readable : start;
                w.covered = w.floor;
            }
            if (upTo > w.covered) {
                fillUp(domain, w, upTo);
            }
            if (after < w.floor && w.events.size() + (w.floor - after) <= maxEvents) {
                load(domain, w, after, w.floor);
                w.floor = after;
            }
            evict(w);
            return after >= w.floor && upTo <= w.covered ? w : null;
        } finally {
            w.lock.unlock();
        }
    }

    private void fillUp(Domain domain, Window w, long upTo) {
        long contiguous = w.covered;
        while (contiguous < upTo && w.early.containsKey(contiguous + 1)) {
            contiguous++;
        }
        for (StoredEvent e : w.early.subMap(w.covered, false, contiguous, true).values()) {
            add(domain, w, e);
        }
        if (contiguous < upTo) {
            load(domain, w, contiguous, upTo);
        }
        w.early.headMap(upTo, true).clear();
        w.covered = upTo;
    }

    private void load(Domain domain, Window w, long after, long upTo) {
        for (Document doc : events.between(domain.database(), after, upTo)) {
            if (doc.getString("room_id") != null) {
                add(domain, w, StoredEvent.of(doc));
            }
        }
    }

    private void add(Domain domain, Window w, StoredEvent e) {
        w.events.put(e.pos(), e);
        w.byRoom.computeIfAbsent(e.roomId(), r -> new ConcurrentSkipListMap<>()).put(e.pos(), e);
        w.positions.put(e.eventId(), e.pos());
        e.pdu().redacts().ifPresent(target -> refresh(domain, w, target.value()));
    }

    /** Re-reads a cached event (its {@code redacted_by} changed). */
    private void refresh(Domain domain, Window w, String eventId) {
        Long pos = w.positions.get(eventId);
        if (pos == null) {
            return;
        }
        Document doc = events.find(domain.database(), eventId);
        if (doc == null || doc.getString("room_id") == null) {
            return;
        }
        StoredEvent fresh = StoredEvent.of(doc);
        w.events.replace(pos, fresh);
        ConcurrentSkipListMap<Long, StoredEvent> room = w.byRoom.get(fresh.roomId());
        if (room != null) {
            room.replace(pos, fresh);
        }
    }

    private void evict(Window w) {
        while (w.events.size() > maxEvents) {
            Map.Entry<Long, StoredEvent> first = w.events.pollFirstEntry();
            w.floor = Math.max(w.floor, first.getKey());
            StoredEvent e = first.getValue();
            w.positions.remove(e.eventId());
            ConcurrentSkipListMap<Long, StoredEvent> room = w.byRoom.get(e.roomId());
            if (room != null) {
                room.remove(first.getKey());
                if (room.isEmpty()) {
                    w.byRoom.remove(e.roomId(), room);
                }
            }
        }
    }
}
