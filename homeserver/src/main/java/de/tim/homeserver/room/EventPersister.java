package de.tim.homeserver.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.auth.AuthResult;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.auth.PowerLevels;
import de.tim.matrix.auth.RedactionPolicy;
import de.tim.matrix.auth.SignatureChecker;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.Redaction;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.CanonicalJson;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Appends locally created events to a room. Write order (each step idempotent, so an interrupted
 * append is completed by {@link #recover}):
 * <ol>
 * <li>build the PDU on the room head (prev_events = forward extremity, auth_events by the selection
 * algorithm), authorise it against the current state;</li>
 * <li>for state events write the new state group (id derived from the event id);</li>
 * <li>compare-and-set the room head ({@code seq}) to the event, storing the complete write intent
 * ({@code pending}: PDU and state groups) in the same document;</li>
 * <li>allocate the stream position, insert the event, record it in the outbox (claimed by this instance);</li>
 * <li>update current state, apply a redaction, store the transaction id;</li>
 * <li>clear the intent, wake sync waiters and the outbox publisher.</li>
 * </ol>
 */
@Component
public class EventPersister {

    private static final Logger log = LoggerFactory.getLogger(EventPersister.class);
    private static final int MAX_ATTEMPTS = 20;
    private static final int STRIPES = 256;

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final RoomStreamCache cache;
    private final RoomEventOutbox outbox;
    private final EventAuthorizer authorizer;
    private final ObjectProvider<RoomContentListener> contentListeners;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    EventPersister(RoomRepository rooms, EventRepository events, StateRepository state, StreamPositions positions,
            RoomNotifier notifier, RoomStreamCache cache, DomainRegistry registry,
            ObjectProvider<RoomContentListener> contentListeners, RoomEventOutbox outbox) {
        this.contentListeners = contentListeners;
        this.outbox = outbox;
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.positions = positions;
        this.notifier = notifier;
        this.cache = cache;
        this.authorizer = new EventAuthorizer(localSignatures(registry));
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Signatures of the domains hosted here (remote keys come with federation). */
    private static SignatureChecker localSignatures(DomainRegistry registry) {
        return (pdu, server) -> registry.byServerName(server.toString())
                .map(d -> JsonSigning.verify(Redaction.redact(pdu.json(), pdu.roomVersion()), server.toString(),
                        d.signingKey().verifyKey()))
                .orElse(false);
    }

    /**
     * Authorises and persists the event; returns it with its position. For a draft with a transaction id
     * already used by the same user and device, returns the earlier event instead.
     *
     * @throws MatrixException 403 M_FORBIDDEN when the auth rules reject it, 404 for unknown rooms
     */
    public StoredEvent append(Domain domain, String roomId, EventDraft draft) {
        MongoDatabase db = domain.database();
        ReentrantLock lock = locks[Math.floorMod((db.getName() + roomId).hashCode(), STRIPES)];
        lock.lock();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Document room = rooms.find(db, roomId);
                if (room == null) {
                    throw MatrixException.notFound("Room not found");
                }
                Document pending = room.get("pending", Document.class);
                if (pending != null) {
                    complete(domain, roomId, pending);
                    continue;
                }
                String txnKey = draft.txnId() == null ? null : RoomRepository.txnId(draft.sender(), draft.txnDevice(), draft.txnId());
                if (txnKey != null) {
                    String earlier = rooms.findTxn(db, txnKey);
                    if (earlier != null) {
                        Document doc = events.find(db, earlier);
                        if (doc != null) {
                            return StoredEvent.of(doc);
                        }
                    }
                }
                StoredEvent appended = tryAppend(domain, room, draft, txnKey);
                if (appended != null) {
                    return appended;
                }
            }
            throw new MatrixException(503, "M_UNKNOWN", "Room is busy, try again");
        } finally {
            lock.unlock();
        }
    }

    private StoredEvent tryAppend(Domain domain, Document room, EventDraft draft, String txnKey) {
        MongoDatabase db = domain.database();
        String roomId = room.getString("_id");
        RoomVersion version = RoomVersion.fromId(room.getString("version")).orElseThrow();
        String groupBefore = room.getString("state_group");
        Map<StateKey, StateEntry> current = state.resolve(db, groupBefore);
        Map<StateKey, EventId> ids = new HashMap<>();
        current.forEach((k, e) -> ids.put(k, new EventId(e.eventId())));
        List<EventId> authIds = AuthEventSelection.authEvents(draft.type(), draft.stateKey(), draft.sender(), draft.content(), ids);
        List<EventId> prev = room.getList("extremities", String.class).stream().map(EventId::new).toList();
        PduBuilder builder = PduBuilder.forVersion(version).roomId(RoomId.parse(roomId)).sender(UserId.parse(draft.sender()))
                .type(draft.type()).content(draft.content()).prevEvents(prev).authEvents(authIds)
                .depth(room.getLong("depth") + 1).originServerTs(System.currentTimeMillis());
        if (draft.stateKey() != null) {
            builder.stateKey(draft.stateKey());
        }
        if (draft.redacts() != null) {
            builder.redacts(new EventId(draft.redacts()));
        }
        Pdu pdu;
        try {
            pdu = builder.build(ServerName.parse(domain.serverName()), domain.signingKey());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("PDU exceeds")) {
                throw MatrixException.tooLarge("Event too large");
            }
            throw MatrixException.badJson("Invalid event: " + e.getMessage());
        }
        Map<StateKey, Pdu> authState = new HashMap<>();
        for (StateKey key : AuthEventSelection.select(pdu)) {
            StateEntry entry = current.get(key);
            if (entry != null) {
                authState.put(key, load(db, entry.eventId()).pdu());
            }
        }
        AuthResult result = authorizer.check(pdu, authState);
        if (!result.allowed()) {
            throw MatrixException.forbidden("Event not allowed: " + result.reason());
        }
        String groupAfter = groupBefore;
        if (pdu.isState()) {
            groupAfter = state.createGroup(db, roomId, groupBefore, pdu.stateTuple().orElseThrow(), entryOf(pdu));
        }
        Document intent = new Document("event_id", pdu.eventId().value()).append("version", version.id())
                .append("pdu", CanonicalJson.encodeToString(pdu.json())).append("sg_before", groupBefore).append("sg_after", groupAfter);
        if (txnKey != null) {
            intent.append("txn", new Document("user", draft.sender()).append("device", draft.txnDevice()).append("id", draft.txnId())
                    .append("key", txnKey));
        }
        if (!rooms.advanceHead(db, roomId, room.getLong("seq"), pdu.eventId().value(), pdu.depth(), groupAfter, intent)) {
            return null;
        }
        return complete(domain, roomId, intent);
    }

    /**
     * Step 4 only, for an event learnt from another server that enters the room's state without being its
     * head (an outlier that state resolution or a fetched state put into the current state): stored with a
     * stream position so state reads find it; current state is left to the caller. Idempotent.
     */
    StoredEvent insertOffHead(Domain domain, String roomId, Document intent) {
        StoredEvent stored = insert(domain, roomId, intent);
        cache.appended(domain, stored);
        notifier.notifyLocal(domain.serverName(), stored.pos());
        return stored;
    }

    /** Steps 4–6 for a recorded write intent; idempotent. */
    StoredEvent complete(Domain domain, String roomId, Document intent) {
        MongoDatabase db = domain.database();
        String eventId = intent.getString("event_id");
        StoredEvent stored = insert(domain, roomId, intent);
        Pdu pdu = stored.pdu();
        if (pdu.isState()) {
            state.setCurrent(db, roomId, pdu.stateTuple().orElseThrow(), entryOf(pdu), stored.pos());
        }
        pdu.redacts().ifPresent(target -> applyRedaction(db, stored, target.value()));
        Document txn = intent.get("txn", Document.class);
        if (txn != null) {
            rooms.putTxn(db, txn.getString("key"), roomId, eventId);
        }
        rooms.clearPending(db, roomId, eventId, stored.pos());
        cache.appended(domain, stored);
        notifier.notifyLocal(domain.serverName(), stored.pos());
        return stored;
    }

    /** Step 4: the event with its stream position (allocated and inserted unless it exists). */
    private StoredEvent insert(Domain domain, String roomId, Document intent) {
        MongoDatabase db = domain.database();
        String eventId = intent.getString("event_id");
        Document existing = events.find(db, eventId);
        if (existing == null) {
            long pos = positions.next(domain, StreamPositions.EVENTS);
            Pdu pdu = Pdu.fromJson(StoredEvent.parse(intent.getString("pdu")), RoomVersion.fromId(intent.getString("version")).orElseThrow());
            Document doc = document(roomId, pos, pdu, intent);
            Document txn = intent.get("txn", Document.class);
            if (txn != null) {
                doc.append("txn", new Document("user", txn.getString("user")).append("device", txn.getString("device"))
                        .append("id", txn.getString("id")));
            }
            contentListeners.orderedStream().forEach(l -> l.eventStoring(domain, roomId, pdu.content()));
            events.insert(db, doc);
            existing = events.find(db, eventId);
        }
        StoredEvent stored = StoredEvent.of(existing);
        outbox.appended(domain, eventId, stored.pos());
        return stored;
    }

    /**
     * The stored form of an event: its PDU (canonical text of the intent), position, state groups, query fields
     * (type, state key, sender, membership), relation and redaction target.
     */
    static Document document(String roomId, long pos, Pdu pdu, Document intent) {
        Document doc = new Document("_id", intent.getString("event_id")).append("room_id", roomId).append("pos", pos)
                .append("version", intent.getString("version")).append("type", pdu.type())
                .append("state_key", pdu.stateKey().orElse(null)).append("sender", pdu.sender().value())
                .append("ts", pdu.originServerTs()).append("depth", pdu.depth())
                .append("sg_before", intent.getString("sg_before")).append("sg_after", intent.getString("sg_after"))
                .append("pdu", intent.getString("pdu"));
        pdu.membership().filter(m -> EventTypes.MEMBER.equals(pdu.type())).ifPresent(m -> doc.append("membership", m));
        JsonNode relates = pdu.content().path("m.relates_to");
        if (relates.path("event_id").isTextual() && relates.path("rel_type").isTextual()) {
            doc.append("rel_event", relates.path("event_id").textValue()).append("rel_type", relates.path("rel_type").textValue());
        } else if (relates.path("m.in_reply_to").path("event_id").isTextual()) {
            doc.append("rel_event", relates.path("m.in_reply_to").path("event_id").textValue()).append("rel_type", "m.in_reply_to");
        }
        pdu.redacts().ifPresent(target -> doc.append("redacts", target.value()));
        return doc;
    }

    private void applyRedaction(MongoDatabase db, StoredEvent redaction, String targetId) {
        applyRedaction(db, redaction, targetId, id -> load(db, id).pdu());
    }

    /**
     * Marks {@code targetId} redacted by {@code redaction} if the target is stored and the redaction may apply to it
     * (power levels of the state before the redaction, loaded by {@code stateEvents}).
     */
    void applyRedaction(MongoDatabase db, StoredEvent redaction, String targetId, Function<String, Pdu> stateEvents) {
        Document target = events.find(db, targetId);
        if (target == null || !redaction.roomId().equals(target.getString("room_id"))) {
            return;
        }
        Map<StateKey, StateEntry> before = state.resolve(db, redaction.stateBefore());
        StateEntry pl = before.get(StateKey.POWER_LEVELS);
        StateEntry create = before.get(StateKey.CREATE);
        RoomVersion version = redaction.pdu().roomVersion();
        PowerLevels levels = pl != null ? PowerLevels.of(stateEvents.apply(pl.eventId()).content(), version)
                : PowerLevels.absent(create == null ? null : stateEvents.apply(create.eventId()).sender().value(), version);
        if (RedactionPolicy.mayApply(redaction.pdu(), StoredEvent.of(target).pdu(), levels)) {
            events.setRedactedBy(db, targetId, redaction.eventId());
        }
    }

    private StoredEvent load(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        if (doc == null) {
            throw new IllegalStateException("state event missing");
        }
        return StoredEvent.of(doc);
    }

    static StateEntry entryOf(Pdu pdu) {
        String value = switch (pdu.type()) {
            case EventTypes.MEMBER -> pdu.membership().orElse(null);
            case EventTypes.HISTORY_VISIBILITY -> text(pdu.content().get("history_visibility"));
            case EventTypes.JOIN_RULES -> text(pdu.content().get("join_rule"));
            default -> null;
        };
        return new StateEntry(pdu.eventId().value(), value);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Completes write intents left by a crash (called at start-up for every domain). */
    public void recover(Domain domain) {
        for (Document room : rooms.withPending(domain.database())) {
            try {
                complete(domain, room.getString("_id"), room.get("pending", Document.class));
            } catch (RuntimeException e) {
                log.warn("Could not complete an interrupted event write in {}: {}", domain, e.toString());
            }
        }
    }
}
