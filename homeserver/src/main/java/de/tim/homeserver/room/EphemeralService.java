package de.tim.homeserver.room;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.accountdata.AccountDataService;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/** Typing notifications, receipts and read markers ("Typing notifications", "Receipts", "Read markers"). */
@Service
public class EphemeralService {

    /** Stream of receipt changes. */
    public static final String RECEIPTS = StreamPositions.RECEIPTS;
    /** Stream of typing changes. */
    public static final String TYPING = StreamPositions.TYPING;
    private static final Set<String> RECEIPT_TYPES = Set.of("m.read", "m.read.private", "m.fully_read");

    private final EphemeralRepository repository;
    private final StateRepository state;
    private final EventRepository events;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final AccountDataService accountData;
    private final RoomProperties properties;
    private final ObjectProvider<ReadReceiptListener> receiptListeners;

    private final SyncSignals signals;

    EphemeralService(EphemeralRepository repository, StateRepository state, EventRepository events, StreamPositions positions,
            RoomNotifier notifier, AccountDataService accountData, RoomProperties properties,
            ObjectProvider<ReadReceiptListener> receiptListeners, SyncSignals signals) {
        this.signals = signals;
        this.repository = repository;
        this.state = state;
        this.events = events;
        this.positions = positions;
        this.notifier = notifier;
        this.accountData = accountData;
        this.properties = properties;
        this.receiptListeners = receiptListeners;
    }

    private void requireJoined(Domain domain, String roomId, String userId) {
        RoomService.MatrixIdsCheck.roomId(roomId);
        StateEntry m = state.current(domain.database(), roomId).get(StateKey.member(userId));
        if (m == null || !"join".equals(m.value())) {
            throw MatrixException.forbidden("You are not joined to this room");
        }
    }

    public void typing(Requester requester, String roomId, boolean typing, Long timeoutMs) {
        Domain domain = requester.domain();
        requireJoined(domain, roomId, requester.userId());
        long timeout = Math.min(timeoutMs == null ? 30_000 : Math.max(0, timeoutMs), properties.typingMaxTimeout().toMillis());
        long until = typing ? System.currentTimeMillis() + timeout : 0;
        long pos = repository.putTyping(domain.database(), roomId, requester.userId(), until, positions.next(domain, TYPING));
        notifier.notifyLocal(domain.serverName(), pos);
        signals.changed(domain, TYPING, pos);
    }

    public void receipt(Requester requester, String roomId, String type, String eventId, String threadId) {
        Domain domain = requester.domain();
        if (!RECEIPT_TYPES.contains(type)) {
            throw MatrixException.invalidParam("Unknown receipt type");
        }
        requireJoined(domain, roomId, requester.userId());
        Document event = events.find(domain.database(), eventId);
        if (event == null || !roomId.equals(event.getString("room_id"))) {
            throw MatrixException.notFound("Event not found");
        }
        if (type.equals("m.fully_read")) {
            if (threadId != null) {
                throw MatrixException.badJson("m.fully_read cannot have a thread_id");
            }
            accountData.put(domain, requester.userId(), roomId, "m.fully_read",
                    JsonNodeFactory.instance.objectNode().put("event_id", eventId));
            receiptListeners.orderedStream().forEach(l -> l.receiptStored(domain, requester.userId(), roomId, type, eventId, null));
            notifier.notifyLocal(domain.serverName(), 0);
            return;
        }
        long pos = repository.putReceipt(domain.database(), roomId, requester.userId(), type, threadId, eventId,
                System.currentTimeMillis(), positions.next(domain, RECEIPTS));
        receiptListeners.orderedStream().forEach(l -> l.receiptStored(domain, requester.userId(), roomId, type, eventId, threadId));
        notifier.notifyLocal(domain.serverName(), pos);
        signals.changed(domain, RECEIPTS, pos);
    }

    /** {@code POST /read_markers}: {@code m.fully_read}, {@code m.read}, {@code m.read.private}. */
    public void readMarkers(Requester requester, String roomId, JsonNode body) {
        for (String type : List.of("m.fully_read", "m.read", "m.read.private")) {
            JsonNode id = body.get(type);
            if (id == null || id.isNull()) {
                continue;
            }
            if (!id.isTextual()) {
                throw MatrixException.badJson(type + " must be an event id");
            }
            receipt(requester, roomId, type, id.textValue(), null);
        }
    }

    /** The {@code m.receipt} events for sync, per room; private receipts only of the user. */
    Map<String, ObjectNode> receiptEvents(Domain domain, String userId, Collection<String> roomIds, long after, long upTo) {
        Map<String, ObjectNode> result = new LinkedHashMap<>();
        if (roomIds.isEmpty() || upTo <= after) {
            return result;
        }
        for (Document r : repository.receipts(domain.database(), roomIds, after, upTo)) {
            if (r.getString("type").equals("m.read.private") && !userId.equals(r.getString("user_id"))) {
                continue;
            }
            ObjectNode event = result.computeIfAbsent(r.getString("room_id"), k -> {
                ObjectNode e = JsonNodeFactory.instance.objectNode().put("type", "m.receipt");
                e.putObject("content");
                return e;
            });
            ObjectNode content = (ObjectNode) event.get("content");
            ObjectNode byType = content.has(r.getString("event_id")) ? (ObjectNode) content.get(r.getString("event_id"))
                    : content.putObject(r.getString("event_id"));
            ObjectNode users = byType.has(r.getString("type")) ? (ObjectNode) byType.get(r.getString("type"))
                    : byType.putObject(r.getString("type"));
            ObjectNode receipt = users.putObject(r.getString("user_id")).put("ts", r.getLong("ts"));
            if (r.getString("thread_id") != null) {
                receipt.put("thread_id", r.getString("thread_id"));
            }
        }
        return result;
    }

    /** The {@code m.typing} events for rooms whose typing state changed in the window (all rooms initially). */
    Map<String, ObjectNode> typingEvents(Domain domain, Collection<String> roomIds, long after, long upTo) {
        Map<String, ObjectNode> result = new LinkedHashMap<>();
        if (roomIds.isEmpty() || upTo <= after) {
            return result;
        }
        long now = System.currentTimeMillis();
        for (String roomId : repository.typingChanged(domain.database(), roomIds, after, upTo).stream()
                .map(d -> d.getString("room_id")).distinct().toList()) {
            ObjectNode e = JsonNodeFactory.instance.objectNode().put("type", "m.typing");
            var ids = e.putObject("content").putArray("user_ids");
            repository.typing(domain.database(), roomId, now).forEach(d -> ids.add(d.getString("user_id")));
            if (after == 0 && ids.isEmpty()) {
                continue;
            }
            result.put(roomId, e);
        }
        return result;
    }
}
