package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Paginated timeline reads with history visibility: {@code /messages} pages, {@code /context} and
 * {@code /relations}.
 */
@Service
public class TimelineReader {

    private static final int MAX_SCAN = 1000;
    /** Backfill requests one page may make when it reaches the oldest stored event. */
    private static final int MAX_BACKFILLS = 3;

    private final RoomReader reader;
    private final EventRepository events;
    private final StateRepository state;
    private final ObjectProvider<RemoteHistory> remoteHistory;

    TimelineReader(RoomReader reader, EventRepository events, StateRepository state, ObjectProvider<RemoteHistory> remoteHistory) {
        this.reader = reader;
        this.events = events;
        this.state = state;
        this.remoteHistory = remoteHistory;
    }

    /**
     * Events of a room from a position in one direction, filtered and visible to the user, at most
     * {@code limit}.
     *
     * Going backward without {@code to}, reaching the oldest stored event asks other servers for earlier history
     * ({@link RemoteHistory}, at most {@value #MAX_BACKFILLS} times).
     *
     * @param from exclusive bound going forward, inclusive going backward
     * @param to   bound in the other direction (null: none)
     */
    public RoomReader.Page page(Domain domain, String userId, String roomId, long from, Long to, boolean forward, int limit,
            EventFilter filter) {
        MongoDatabase db = domain.database();
        HistoryVisibility visible = reader.visibility(domain, userId);
        List<StoredEvent> result = new ArrayList<>();
        long upTo = reader.upTo(domain);
        long cursor = forward ? from : Math.min(from, upTo);
        boolean more = true;
        boolean capped = false;
        int scanned = 0;
        int backfills = 0;
        while (result.size() < limit && !capped && (more || !forward && to == null && backfills++ < MAX_BACKFILLS
                && fetchOlder(domain, roomId, limit - result.size()))) {
            int batch = Math.max(limit * 2, 20);
            List<Document> docs = forward
                    ? events.range(db, roomId, cursor, Math.min(upTo, to == null ? Long.MAX_VALUE : to), true, batch)
                    : events.range(db, roomId, to == null ? Long.MIN_VALUE : to, cursor, false, batch);
            more = docs.size() == batch;
            for (Document doc : docs) {
                if (++scanned > MAX_SCAN + limit * 10) {
                    // events the user may not see (or the filter drops) are not scanned without bound:
                    // answer what was found with an end token to continue from
                    capped = true;
                    break;
                }
                StoredEvent e = StoredEvent.of(doc);
                cursor = forward ? e.pos() : e.pos() - 1;
                if (filter.matches(e) && visible.canSee(e)) {
                    result.add(e);
                    if (result.size() == limit) {
                        more = true;
                        break;
                    }
                }
            }
        }
        String end = capped || (more && result.size() == limit) ? RoomReader.token(cursor) : null;
        return new RoomReader.Page(result, RoomReader.token(forward ? from : Math.min(from, upTo)), end);
    }

    private boolean fetchOlder(Domain domain, String roomId, int wanted) {
        RemoteHistory history = remoteHistory.getIfAvailable();
        return history != null && history.fetchOlder(domain, roomId, wanted);
    }

    public RoomReader.Context context(Requester requester, String roomId, String eventId, int limit, EventFilter filter) {
        Domain domain = requester.domain();
        reader.requireRoom(domain, roomId);
        StoredEvent e = reader.visibleEvent(requester, roomId, eventId);
        int half = limit / 2;
        RoomReader.Page before = page(domain, requester.userId(), roomId, e.pos() - 1, null, false, Math.max(half, 0) == 0 ? 1 : half, filter);
        RoomReader.Page after = page(domain, requester.userId(), roomId, e.pos(), null, true, Math.max(limit - half, 1), filter);
        List<StoredEvent> b = half == 0 ? List.of() : before.events();
        List<StoredEvent> a = limit - half == 0 ? List.of() : after.events();
        long startPos = b.isEmpty() ? e.pos() - 1 : b.get(b.size() - 1).pos() - 1;
        long endPos = a.isEmpty() ? e.pos() : a.get(a.size() - 1).pos();
        Map<StateKey, StateEntry> stateAt = state.resolve(domain.database(), e.stateAfter());
        List<StoredEvent> stateEvents;
        if (filter.lazyLoadMembers()) {
            Set<String> senders = new LinkedHashSet<>();
            senders.add(e.sender());
            b.forEach(x -> senders.add(x.sender()));
            a.forEach(x -> senders.add(x.sender()));
            List<String> ids = new ArrayList<>();
            stateAt.forEach((k, v) -> {
                if (!k.type().equals(EventTypes.MEMBER) || senders.contains(k.stateKey())) {
                    ids.add(v.eventId());
                }
            });
            stateEvents = reader.load(domain, ids);
        } else {
            stateEvents = reader.load(domain, stateAt.values().stream().map(StateEntry::eventId).toList());
        }
        return new RoomReader.Context(e, b, a, RoomReader.token(startPos), RoomReader.token(endPos), stateEvents);
    }

    /** {@code /relations}: visible children of a visible event. */
    public RoomReader.Page relations(Requester requester, String roomId, String eventId, String relType, String eventType, String from,
            boolean forward, int limit) {
        Domain domain = requester.domain();
        reader.requireRoom(domain, roomId);
        reader.visibleEvent(requester, roomId, eventId);
        HistoryVisibility visible = reader.visibility(domain, requester.userId());
        long cursor = from != null ? RoomReader.parseToken(from) : (forward ? Long.MIN_VALUE : reader.upTo(domain));
        org.bson.conversions.Bson extra = new Document();
        if (relType != null) {
            extra = eventType == null ? new Document("rel_type", relType) : new Document("rel_type", relType).append("type", eventType);
        }
        List<StoredEvent> result = new ArrayList<>();
        long upTo = reader.upTo(domain);
        boolean more = true;
        while (result.size() < limit && more) {
            List<Document> docs = events.relations(domain.database(), eventId, extra, forward, cursor, limit * 2);
            more = docs.size() == limit * 2;
            for (Document d : docs) {
                StoredEvent e = StoredEvent.of(d);
                cursor = forward ? e.pos() : e.pos() - 1;
                if (e.pos() <= upTo && visible.canSee(e)) {
                    result.add(e);
                    if (result.size() == limit) {
                        more = true;
                        break;
                    }
                }
            }
        }
        return new RoomReader.Page(result, from, more ? RoomReader.token(cursor) : null);
    }

}
