package de.tim.homeserver.notification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.notification.NotificationEvaluation.Notified;
import de.tim.homeserver.pusher.PusherService;
import de.tim.homeserver.pushrules.PushActions;
import de.tim.homeserver.pushrules.PushContext;
import de.tim.homeserver.pushrules.PushRuleEvaluator;
import de.tim.homeserver.pushrules.PushRuleService;
import de.tim.homeserver.room.NotificationEventReader;
import de.tim.homeserver.room.NotificationEventReader.EventInRoom;
import de.tim.homeserver.room.ReadReceiptListener;
import de.tim.homeserver.room.StoredEvent;
import de.tim.homeserver.room.UnreadNotificationCounts;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Notifications of local users: evaluates the push rules of every recipient of a new event (once per event,
 * in the Kafka consumer group), stores notifications (for {@code /notifications}) and unread counts, builds one
 * push record per pusher, serves the per-room unread counts of {@code /sync} (stored counts only: no push rule
 * is evaluated on a sync's path) and marks notifications read on receipts.
 */
@Service
public class NotificationService implements UnreadNotificationCounts, ReadReceiptListener {

    private static final Set<String> READ_TYPES = Set.of("m.read", "m.read.private", "m.fully_read");
    private static final long PROGRESS_POLL_MS = EvaluationProgress.REREAD_MS;
    /** The thread id of events outside threads (as in threaded receipts). */
    static final String MAIN_TIMELINE = "main";
    static final long PASS_OVER_MS = 60_000;
    private static final int ADVANCE_PAGE = 100;
    private static final int ADVANCE_PAGES = 10;

    private final NotificationEventReader events;
    private final NotificationRepository repository;
    private final UnreadCountRepository counts;
    private final EvaluationProgress progress;
    private final PushRuleService pushRules;
    private final PusherService pushers;
    private final ObjectMapper json;
    private final NotificationProperties properties;

    NotificationService(NotificationEventReader events, NotificationRepository repository, UnreadCountRepository counts,
            EvaluationProgress progress, PushRuleService pushRules, PusherService pushers, ObjectMapper json,
            NotificationProperties properties) {
        this.events = events;
        this.repository = repository;
        this.counts = counts;
        this.progress = progress;
        this.pushRules = pushRules;
        this.pushers = pushers;
        this.json = json;
        this.properties = properties;
    }

    /** Whether anything evaluates new events (the consumer runs and events are published): else counts are never awaited. */
    private boolean evaluating() {
        return properties.enabled() && events.published();
    }

    /**
     * Evaluates the event for its recipients: joined local members except the sender (plus the invitee of
     * an invite) who may see it. Idempotent: stored notifications are keyed by (user, event), push records
     * carry a stable id. The sender has read up to their own event.
     */
    public NotificationEvaluation evaluate(Domain domain, String eventId) {
        Optional<EventInRoom> loaded = events.load(domain, eventId);
        if (loaded.isEmpty()) {
            return NotificationEvaluation.EMPTY;
        }
        EventInRoom room = loaded.get();
        StoredEvent event = room.event();
        String sender = event.sender();
        if (domain.isLocal(sender)) {
            markRead(domain, sender, event.roomId(), threadOf(event), event.pos());
        }
        Set<String> recipients = new LinkedHashSet<>();
        room.joined().stream().filter(domain::isLocal).forEach(recipients::add);
        String invitee = invitee(domain, event);
        if (invitee != null) {
            recipients.add(invitee);
        }
        recipients.remove(sender);
        ObjectNode clientEvent = event.pdu().toClientEvent();
        List<Notified> notified = new ArrayList<>();
        List<PushNotificationRecord> records = new ArrayList<>();
        Map<String, ObjectNode> rulesets = pushRules.rulesets(domain, recipients);
        for (String userId : recipients) {
            PushActions actions = evaluateFor(domain, room, clientEvent, userId, invitee, rulesets.get(userId));
            if (actions == null) {
                continue;
            }
            notified.add(new Notified(userId, actions.highlight()));
            long unread = counts.unreadTotal(domain.database(), userId);
            for (PusherService.Pusher pusher : pushers.httpPushers(domain, userId)) {
                if (pusher.url() != null) {
                    records.add(record(domain, userId, room, clientEvent, actions, unread, pusher));
                }
            }
        }
        return new NotificationEvaluation(notified, records);
    }

    /**
     * Raises the room's evaluated position ({@code notification_evaluated_up_to}, what syncs wait for) over the
     * room's events whose evaluation is complete ({@link #markEvaluated}, skipped events included), in stream order,
     * and wakes the syncs waiting for them. Several instances publish a room's events, each from its own outbox, so
     * they can reach the evaluation out of stream order: a later event evaluated first must not let a sync take the
     * counts of an earlier one as complete. An event still not evaluated {@value #PASS_OVER_MS} ms after its
     * {@code origin_server_ts} is passed over (its evaluation may come late or never: counts answered early are
     * corrected by the next sync once it comes, as for any sync that waited in vain).
     */
    void advance(Domain domain, String roomId) {
        advance(domain, roomId, System.currentTimeMillis());
    }

    void advance(Domain domain, String roomId, long now) {
        long from = repository.evaluatedUpTo(domain.database(), roomId);
        long mark = from;
        for (int page = 0; page < ADVANCE_PAGES; page++) {
            List<StoredEvent> next = events.after(domain, roomId, mark, ADVANCE_PAGE);
            Set<String> done = repository.evaluatedAmong(domain.database(), next.stream().map(StoredEvent::eventId).toList());
            boolean blocked = false;
            for (StoredEvent event : next) {
                if (!done.contains(event.eventId()) && now - event.pdu().originServerTs() < PASS_OVER_MS) {
                    blocked = true;
                    break;
                }
                mark = event.pos();
            }
            if (blocked || next.size() < ADVANCE_PAGE) {
                break;
            }
        }
        if (mark > from) {
            repository.raiseEvaluatedUpTo(domain.database(), roomId, mark);
            progress.advanced(domain, roomId, mark);
        }
    }

    /** Whether a sync answered counts of one of the rooms before their evaluation (its user's syncs should look again). */
    boolean recountsWaiting(Domain domain, List<String> roomIds) {
        return !roomIds.isEmpty() && counts.anyRecount(domain.database(), roomIds);
    }

    /** Whether the event's evaluation completed before (its push records were acknowledged). */
    boolean isEvaluated(Domain domain, String eventId) {
        return repository.isEvaluated(domain.database(), eventId);
    }

    /** Called after the event's push records were acknowledged: a redelivered copy is not evaluated again. */
    void markEvaluated(Domain domain, String eventId) {
        repository.markEvaluated(domain.database(), eventId, System.currentTimeMillis());
    }

    private static String invitee(Domain domain, StoredEvent event) {
        return EventTypes.MEMBER.equals(event.type()) && "invite".equals(event.pdu().membership().orElse(null))
                ? event.pdu().stateKey().filter(domain::isLocal).orElse(null) : null;
    }

    /** Evaluates for one recipient and stores the notification; null when the event does not notify them. */
    private PushActions evaluateFor(Domain domain, EventInRoom room, ObjectNode clientEvent, String userId, String invitee,
            ObjectNode ruleset) {
        StoredEvent event = room.event();
        // the invitee learns of the invite itself whatever the history visibility (stripped state in /sync)
        if (!userId.equals(invitee) && !events.canSee(domain, userId, event)) {
            return null;
        }
        PushContext context = new PushContext(clientEvent, userId, room.displayNames().get(userId), room.joined().size(),
                room.powerLevels(), room.creator());
        PushActions actions = PushRuleEvaluator.evaluate(ruleset, context);
        if (!actions.notifies()) {
            return null;
        }
        String thread = threadOf(event);
        long now = System.currentTimeMillis();
        repository.insert(domain.database(), userId, event.roomId(), event.eventId(), thread, event.pos(),
                now, text(actions.actions()), actions.highlight());
        counts.add(domain.database(), userId, event.roomId(), event.pos(), actions.highlight(), thread, now);
        // a receipt past this event may have arrived before the evaluation: unthreaded, or of the event's thread
        long readAll = repository.readUpTo(domain.database(), userId, event.roomId(), null);
        if (readAll >= event.pos()) {
            clearRead(domain, userId, event.roomId(), null, readAll);
        }
        long readThread = repository.readUpTo(domain.database(), userId, event.roomId(), thread);
        if (readThread >= event.pos()) {
            clearRead(domain, userId, event.roomId(), thread, readThread);
        }
        return actions;
    }

    private PushNotificationRecord record(Domain domain, String userId, EventInRoom room, ObjectNode clientEvent,
            PushActions actions, long unread, PusherService.Pusher pusher) {
        StoredEvent event = room.event();
        boolean high = actions.highlight() || actions.tweaks().containsKey("sound") || "m.room.encrypted".equals(event.type())
                || EventTypes.MEMBER.equals(event.type());
        PushNotificationRecord.Device device = new PushNotificationRecord.Device(pusher.appId(), pusher.pushkey(),
                pusher.updatedTs() / 1000, pusher.data(),
                actions.tweaks().isEmpty() ? null : actions.tweaks());
        PushNotificationRecord.Counts counts = new PushNotificationRecord.Counts(unread, null);
        PushNotificationRecord.Notification notification;
        if ("event_id_only".equals(pusher.format())) {
            notification = new PushNotificationRecord.Notification(event.eventId(), event.roomId(), null, null, null, null, null,
                    null, high ? "high" : "low", null, counts, List.of(device));
        } else {
            String stateKey = event.pdu().stateKey().orElse(null);
            notification = new PushNotificationRecord.Notification(event.eventId(), event.roomId(), event.type(), event.sender(),
                    room.displayNames().get(event.sender()), room.roomName(), room.canonicalAlias(),
                    EventTypes.MEMBER.equals(event.type()) ? Boolean.valueOf(userId.equals(stateKey)) : null,
                    high ? "high" : "low", clientEvent.get("content") instanceof ObjectNode c ? c.deepCopy() : null, counts,
                    List.of(device));
        }
        return new PushNotificationRecord(recordId(event.eventId(), pusher.appId(), pusher.pushkey()), domain.serverName(), userId,
                pusher.url(), System.currentTimeMillis(), notification);
    }

    /** Stable deduplication id for (event id, app id, pushkey); no pushkey in clear. */
    static String recordId(String eventId, String appId, String pushkey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((eventId + "\u0000" + appId + "\u0000" + pushkey).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The stored counts of the rooms. A room whose events up to {@code upTo} (after {@code since}) are not all
     * evaluated yet is awaited up to {@code tim.homeserver.push.sync-count-wait} (parking the request's virtual
     * thread; the evaluation on this instance wakes it, another instance's progress is re-read every
     * {@value #PROGRESS_POLL_MS} ms). A room still behind then is answered with the counts evaluated so far and
     * remembered: the user's next sync answers it again once the evaluation caught up ({@link #recounted}).
     */
    @Override
    public Map<String, ObjectNode> unreadNotifications(Domain domain, String userId, Collection<String> roomIds, long since,
            long upTo, boolean perThread) {
        if (evaluating()) {
            Map<String, Long> behind = new LinkedHashMap<>();
            for (String roomId : roomIds) {
                long evaluated = progress.evaluatedUpTo(domain, roomId);
                if (evaluated < upTo) {
                    long latest = events.latestPos(domain, roomId, Math.max(evaluated, since), upTo);
                    if (latest > evaluated) {
                        behind.put(roomId, latest);
                    }
                }
            }
            long deadline = System.currentTimeMillis() + properties.syncCountWait().toMillis();
            while (!behind.isEmpty()) {
                CompletableFuture<Void> signal = progress.signal(domain);
                behind.entrySet().removeIf(e -> progress.evaluatedUpTo(domain, e.getKey()) >= e.getValue());
                long left = deadline - System.currentTimeMillis();
                if (behind.isEmpty() || left <= 0) {
                    break;
                }
                EvaluationProgress.await(signal, Math.min(left, PROGRESS_POLL_MS));
            }
            behind.forEach((roomId, latest) -> counts.recountLater(domain.database(), userId, roomId, latest));
        }
        Map<String, ObjectNode> result = new LinkedHashMap<>();
        for (String roomId : roomIds) {
            Map<String, long[]> byThread = counts.unreadByThread(domain.database(), userId, roomId);
            ObjectNode fields = json.createObjectNode();
            if (perThread) {
                fields.set("unread_notifications", counts(byThread.getOrDefault(MAIN_TIMELINE, new long[2])));
                ObjectNode threads = json.createObjectNode();
                byThread.forEach((thread, unread) -> {
                    if (!MAIN_TIMELINE.equals(thread)) {
                        threads.set(thread, counts(unread));
                    }
                });
                if (!threads.isEmpty()) {
                    fields.set("unread_thread_notifications", threads);
                }
            } else {
                long[] total = new long[2];
                byThread.values().forEach(unread -> {
                    total[0] += unread[0];
                    total[1] += unread[1];
                });
                fields.set("unread_notifications", counts(total));
            }
            result.put(roomId, fields);
        }
        return result;
    }

    private ObjectNode counts(long[] unread) {
        return json.createObjectNode().put("highlight_count", unread[1]).put("notification_count", unread[0]);
    }

    /** Rooms whose counts an earlier sync answered before their evaluation, and which the evaluation has reached now. */
    @Override
    public Set<String> recounted(Domain domain, String userId) {
        Set<String> rooms = new LinkedHashSet<>();
        for (Document recount : counts.recounts(domain.database(), userId)) {
            String roomId = recount.getString("room_id");
            long until = recount.getLong("until");
            if (!evaluating() || progress.evaluatedUpTo(domain, roomId) >= until) {
                counts.recounted(domain.database(), userId, roomId, until);
                rooms.add(roomId);
            }
        }
        return rooms;
    }

    @Override
    public void receiptStored(Domain domain, String userId, String roomId, String type, String eventId, String threadId) {
        if (!READ_TYPES.contains(type)) {
            return;
        }
        // threaded receipts read one thread ("main" = the main timeline); unthreaded ones and m.fully_read read all
        String thread = "m.fully_read".equals(type) ? null : threadId;
        events.event(domain, eventId).ifPresent(e -> markRead(domain, userId, roomId, thread, e.pos()));
    }

    /** The thread of an event: the root of its {@code m.thread} relation, else {@code main}. */
    static String threadOf(StoredEvent event) {
        JsonNode relation = event.pdu().content().path("m.relates_to");
        if ("m.thread".equals(relation.path("rel_type").asText(null)) && relation.path("event_id").isTextual()) {
            return relation.get("event_id").textValue();
        }
        return MAIN_TIMELINE;
    }

    /** Read position first, then the notifications: an evaluation in between sees the position (see {@link #evaluate}). */
    private void markRead(Domain domain, String userId, String roomId, String thread, long pos) {
        repository.raiseReadUpTo(domain.database(), userId, roomId, thread, pos);
        clearRead(domain, userId, roomId, thread, pos);
    }

    private void clearRead(Domain domain, String userId, String roomId, String thread, long pos) {
        repository.markRead(domain.database(), userId, roomId, thread, pos);
        counts.read(domain.database(), userId, roomId, thread, pos);
    }

    /** {@code GET /notifications}: newest first; {@code from} is the {@code next_token} of the previous page. */
    public ObjectNode list(Domain domain, String userId, String from, Integer limit, String only, int maxLimit) {
        long before = Long.MAX_VALUE;
        if (from != null && !from.isEmpty()) {
            try {
                before = Long.parseLong(from);
            } catch (NumberFormatException e) {
                throw MatrixException.invalidParam("Invalid from token");
            }
        }
        int size = limit == null ? 20 : limit;
        if (size < 1) {
            throw MatrixException.invalidParam("limit must be positive");
        }
        size = Math.min(size, maxLimit);
        boolean onlyHighlight = only != null && only.contains("highlight");
        ObjectNode response = json.createObjectNode();
        ArrayNode list = response.putArray("notifications");
        long last = -1;
        List<Document> page = repository.page(domain.database(), userId, before, size + 1, onlyHighlight);
        for (int i = 0; i < Math.min(size, page.size()); i++) {
            Document n = page.get(i);
            last = n.getLong("pos");
            Optional<StoredEvent> event = events.event(domain, n.getString("event_id"));
            if (event.isEmpty()) {
                repository.delete(domain.database(), n.getString("_id")); // purged room
                continue;
            }
            ObjectNode client = events.clientEvent(domain, event.get(), userId);
            client.remove("room_id");
            ObjectNode item = list.addObject();
            item.set("actions", parse(n.getString("actions")));
            item.set("event", client);
            item.put("read", n.getBoolean("read", false));
            item.put("room_id", n.getString("room_id"));
            item.put("ts", n.getLong("ts"));
        }
        if (page.size() > size) {
            response.put("next_token", Long.toString(last));
        }
        return response;
    }

    private String text(JsonNode node) {
        try {
            return json.writeValueAsString(node == null ? json.createArrayNode() : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored actions are not JSON", e);
        }
    }

}
