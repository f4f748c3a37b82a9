package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
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
        /** current memberships per user and current state per room, dropped on every state change of theirs */
        final ConcurrentMap<String, List<Document>> memberships = new ConcurrentHashMap<>();
        final ConcurrentMap<String, Map<StateKey, StateEntry>> currentState = new ConcurrentHashMap<>();
        final AtomicLong stateEpoch = new AtomicLong();
        /** state events read from MongoDB whose writer has not confirmed them yet (write path or Kafka) */
        final ConcurrentMap<String, StoredEvent> unconfirmed = new ConcurrentHashMap<>();
        /** ids of events this instance appended and announced, until their Kafka record comes back (bounded) */
        final ConcurrentMap<String, Boolean> local = new ConcurrentHashMap<>();

        boolean unconfirmedMember(String userId) {
            return unconfirmed.values().stream().anyMatch(e -> EventTypes.MEMBER.equals(e.type())
                    && userId.equals(e.pdu().stateKey().orElse(null)));
        }

        boolean unconfirmedRoom(String roomId) {
            return unconfirmed.values().stream().anyMatch(e -> roomId.equals(e.roomId()));
        }
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
        if (w.local.size() >= maxEvents) {
            // records that never came back (Kafka off): forget them, at worst a record wakes waiters twice
            w.local.clear();
        }
        w.local.put(event.eventId(), Boolean.TRUE);
        offer(domain, w, event);
    }

    /**
     * Whether this instance persisted the event and announced it to its waiters already, so its
     * {@code room-events} record need not wake them a second time.
     */
    boolean appendedHere(Domain domain, String eventId) {
        Window w = enabled ? windows.get(domain.databaseName()) : null;
        return w != null && w.local.remove(eventId) != null;
    }

    /** The {@code room-events} listener: an event persisted (here or on another instance). */
    void published(Domain domain, String roomId, String eventId, String type, String stateKey, long pos) {
        if (!enabled) {
            return;
        }
        Window w = windows.get(domain.databaseName());
        if (w == null) {
            return;
        }
        boolean missing = pos > w.covered && !w.early.containsKey(pos);
        if (!missing && !EventTypes.REDACTION.equals(type)) {
            Long cachedPos = w.positions.get(eventId);
            StoredEvent known = cachedPos == null ? w.early.get(pos) : w.events.get(cachedPos);
            if (known != null) {
                stateChanged(w, known, true);
            } else if (stateKey != null) {
                dropState(w, roomId, EventTypes.MEMBER.equals(type) ? stateKey : null);
            }
            return;
        }
        Document doc = events.find(domain.database(), eventId);
        if (doc == null || doc.getString("room_id") == null) {
            return;
        }
        offer(domain, w, StoredEvent.of(doc));
    }

    private void offer(Domain domain, Window w, StoredEvent event) {
        stateChanged(w, event, true);
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
        if (!enabled || after < 0) {
            // backfilled history (negative positions) is never part of the window
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
        boolean recent = after >= w.covered;
        for (Document doc : events.between(domain.database(), after, upTo)) {
            if (doc.getString("room_id") != null) {
                StoredEvent e = StoredEvent.of(doc);
                StoredEvent fed = w.early.get(e.pos());
                // read from MongoDB before its writer finished (current state may still follow): not confirmed
                stateChanged(w, e, !recent || fed != null && fed.eventId().equals(e.eventId()));
                add(domain, w, e);
            }
        }
    }

    /** A state event: cached memberships / current state it touches are dropped. */
    private static void stateChanged(Window w, StoredEvent e, boolean confirmed) {
        if (!e.pdu().isState()) {
            return;
        }
        String member = EventTypes.MEMBER.equals(e.type()) ? e.pdu().stateKey().orElse(null) : null;
        if (confirmed) {
            w.unconfirmed.remove(e.eventId());
        } else {
            w.unconfirmed.put(e.eventId(), e);
        }
        dropState(w, e.roomId(), member);
    }

    private static void dropState(Window w, String roomId, String member) {
        w.stateEpoch.incrementAndGet();
        w.currentState.remove(roomId);
        if (member != null) {
            w.memberships.remove(member);
        }
    }

    /** The user's current membership documents, from the window's copy when it has a valid one. */
    List<Document> memberships(Domain domain, String userId, Supplier<List<Document>> load) {
        Window w = enabled ? windows.get(domain.databaseName()) : null;
        if (w == null) {
            return load.get();
        }
        List<Document> cached = w.memberships.get(userId);
        if (cached != null) {
            return cached;
        }
        long epoch = w.stateEpoch.get();
        List<Document> loaded = load.get();
        if (w.stateEpoch.get() == epoch && w.memberships.size() < maxEvents && !w.unconfirmedMember(userId)) {
            w.memberships.put(userId, List.copyOf(loaded));
        }
        return loaded;
    }

    /** The room's current state, from the window's copy when it has a valid one. */
    Map<StateKey, StateEntry> currentState(Domain domain, String roomId, Supplier<Map<StateKey, StateEntry>> load) {
        Window w = enabled ? windows.get(domain.databaseName()) : null;
        if (w == null) {
            return load.get();
        }
        Map<StateKey, StateEntry> cached = w.currentState.get(roomId);
        if (cached != null) {
            return cached;
        }
        long epoch = w.stateEpoch.get();
        Map<StateKey, StateEntry> loaded = Collections.unmodifiableMap(load.get());
        if (w.stateEpoch.get() == epoch && w.currentState.size() < maxEvents && !w.unconfirmedRoom(roomId)) {
            w.currentState.put(roomId, loaded);
        }
        return loaded;
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
            w.unconfirmed.remove(e.eventId());
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
