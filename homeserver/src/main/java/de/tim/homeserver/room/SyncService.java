package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.accountdata.AccountDataService;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.E2eeSyncSection;
import de.tim.homeserver.presence.PresenceService;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * {@code GET /sync}: builds the response from the streams' positions in the since token up to the
 * current ones; with nothing new it long-polls on the domain's {@link RoomNotifier} signal (a parked
 * virtual thread, no platform thread) until something is persisted here or on another instance
 * (Kafka), re-checking every {@code sync-recheck-interval}, or the timeout passes.
 */
@Service
public class SyncService {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final long MAX_TIMEOUT_MS = 5 * 60_000;
    private static final int MAX_PRESENCE_USERS = 100;
    private static final long LAGGING_RECHECK_MS = 200;

    private final RoomReader reader;
    private final SyncRoomBuilder rooms;
    private final EphemeralService ephemeral;
    private final AccountDataService accountData;
    private final PresenceService presence;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final RoomProperties properties;
    private final E2eeSyncSection e2ee;
    private final UnreadNotificationCounts unreadCounts;
    private final SyncPositions syncPositions;

    SyncService(RoomReader reader, SyncRoomBuilder rooms, EphemeralService ephemeral, AccountDataService accountData,
            PresenceService presence, StreamPositions positions, RoomNotifier notifier, RoomProperties properties,
            E2eeSyncSection e2ee, UnreadNotificationCounts unreadCounts, SyncPositions syncPositions) {
        this.syncPositions = syncPositions;
        this.reader = reader;
        this.rooms = rooms;
        this.ephemeral = ephemeral;
        this.accountData = accountData;
        this.presence = presence;
        this.positions = positions;
        this.notifier = notifier;
        this.properties = properties;
        this.e2ee = e2ee;
        this.unreadCounts = unreadCounts;
    }

    public ObjectNode sync(Requester requester, SyncRequest request) {
        long deadline = System.currentTimeMillis() + Math.min(Math.max(0, request.timeoutMs()), MAX_TIMEOUT_MS);
        while (true) {
            CompletableFuture<Void> signal = notifier.signal(requester.domain().serverName());
            SyncToken next = current(requester.domain(), request.since());
            ObjectNode response = build(requester, request, next);
            long now = System.currentTimeMillis();
            if (request.since() == null || request.fullState() || hasContent(response) || now >= deadline) {
                return response;
            }
            // while an allocated event position is not yet readable, look again soon instead of waiting for a wake-up
            long recheck = syncPositions.current(requester.domain(), StreamPositions.EVENTS) > next.events()
                    || lagging(requester.domain()) ? LAGGING_RECHECK_MS : properties.syncRecheckInterval().toMillis();
            notifier.await(requester.domain().serverName(), signal, Math.min(deadline - now, recheck));
        }
    }

    /** Current positions, never behind the since token. */
    private SyncToken current(Domain domain, SyncToken since) {
        SyncToken s = since == null ? SyncToken.ZERO : since;
        return new SyncToken(Math.max(s.events(), reader.upTo(domain)),
                Math.max(s.accountData(), syncPositions.readable(domain, StreamPositions.ACCOUNT_DATA)),
                Math.max(s.presence(), syncPositions.readable(domain, StreamPositions.PRESENCE)),
                s.toDevice(), Math.max(s.deviceLists(), e2ee.deviceListsUpTo(domain)),
                Math.max(s.receipts(), syncPositions.readable(domain, EphemeralService.RECEIPTS)),
                Math.max(s.typing(), syncPositions.readable(domain, EphemeralService.TYPING)));
    }

    /** A write of a logged stream in flight (or a gap in its grace time): its wake-up may be the only one coming. */
    private boolean lagging(Domain domain) {
        return syncPositions.lagging(domain, StreamPositions.ACCOUNT_DATA) || syncPositions.lagging(domain, StreamPositions.PRESENCE)
                || syncPositions.lagging(domain, EphemeralService.RECEIPTS) || syncPositions.lagging(domain, EphemeralService.TYPING);
    }

    private ObjectNode build(Requester requester, SyncRequest request, SyncToken next) {
        Domain domain = requester.domain();
        String userId = requester.userId();
        SyncToken since = request.since() == null ? SyncToken.ZERO : request.since();
        boolean initial = request.since() == null;
        HistoryVisibility visibility = reader.visibility(domain, userId);
        EventFilter roomFilter = request.rooms();

        ObjectNode response = F.objectNode();
        response.put("next_batch", next.format());
        ObjectNode roomsNode = response.putObject("rooms");
        ObjectNode join = roomsNode.putObject("join");
        ObjectNode invite = roomsNode.putObject("invite");
        ObjectNode leave = roomsNode.putObject("leave");
        ObjectNode knock = roomsNode.putObject("knock");

        List<String> joinedRooms = new ArrayList<>();
        Set<String> membershipMoved = new HashSet<>();
        List<Document> memberships = reader.memberships(domain, userId);
        for (Document m : memberships) {
            String roomId = m.getString("room_id");
            if (!roomFilter.allowsRoom(roomId)) {
                continue;
            }
            long pos = m.getLong("pos");
            String value = m.getString("value");
            if (pos > next.events()) {
                continue;
            }
            switch (value) {
                case "join" -> {
                    joinedRooms.add(roomId);
                    if (pos > since.events()) {
                        membershipMoved.add(roomId);
                    }
                }
                case "invite" -> {
                    if (initial || pos > since.events()) {
                        invite.set(roomId, rooms.invite(domain, roomId, m.getString("event_id")));
                    }
                }
                case "knock" -> {
                    if (initial || pos > since.events()) {
                        knock.set(roomId, rooms.knock(domain, roomId, m.getString("event_id")));
                    }
                }
                case "leave", "ban" -> {
                    boolean include = initial ? request.includeLeave() : pos > since.events();
                    if (include && !reader.isForgotten(domain, userId, roomId)) {
                        ObjectNode room = rooms.room(domain, userId, requester.deviceId(), roomId, initial ? 0 : since.events(),
                                pos, initial || request.fullState(), request, visibility);
                        if (room != null) {
                            room.putObject("account_data").putArray("events");
                            leave.set(roomId, room);
                        }
                    }
                }
                default -> {
                }
            }
        }

        Map<String, ObjectNode> receipts = ephemeral.receiptEvents(domain, userId, joinedRooms, initial ? 0 : since.receipts(),
                next.receipts());
        Map<String, ObjectNode> typing = ephemeral.typingEvents(domain, joinedRooms, initial ? 0 : since.typing(), next.typing());
        Map<String, List<AccountDataService.Change>> roomData = new LinkedHashMap<>();
        ArrayNode globalData = response.putObject("account_data").putArray("events");
        EventFilter globalFilter = request.accountData();
        EventFilter roomDataFilter = request.roomAccountData();
        if (initial) {
            AccountDataService.All all = accountData.all(domain, userId);
            all.global().forEach((type, content) -> {
                if (globalFilter.matches(type, userId, content)) {
                    globalData.add(F.objectNode().put("type", type).set("content", content));
                }
            });
            all.rooms().forEach((roomId, byType) -> byType.forEach((type, content) -> roomData.computeIfAbsent(roomId,
                    r -> new ArrayList<>()).add(new AccountDataService.Change(roomId, type, content, 0))));
        } else if (next.accountData() > since.accountData()) {
            for (AccountDataService.Change c : accountData.changedSince(domain, userId, since.accountData(), next.accountData())) {
                if (c.roomId() == null) {
                    if (globalFilter.matches(c.type(), userId, c.content())) {
                        globalData.add(F.objectNode().put("type", c.type()).set("content", c.content()));
                    }
                } else {
                    roomData.computeIfAbsent(c.roomId(), r -> new ArrayList<>()).add(c);
                }
            }
        }

        Set<String> withEvents = new LinkedHashSet<>(initial ? joinedRooms
                : reader.roomsWithEvents(domain, joinedRooms, since.events(), next.events()));
        Set<String> recounted = initial ? Set.of() : unreadCounts.recounted(domain, userId);
        for (String roomId : joinedRooms) {
            // a membership event at or before since means the user was joined at since already
            boolean newlyJoined = !initial && membershipMoved.contains(roomId)
                    && !"join".equals(membershipAt(domain, roomId, userId, since.events()));
            ObjectNode room = null;
            if (withEvents.contains(roomId) || request.fullState() || newlyJoined) {
                room = rooms.room(domain, userId, requester.deviceId(), roomId, initial ? 0 : since.events(), next.events(),
                        initial || request.fullState() || newlyJoined, request, visibility);
            }
            boolean hasEphemeral = receipts.containsKey(roomId) || typing.containsKey(roomId);
            boolean hasData = roomData.containsKey(roomId);
            if (room == null && !hasEphemeral && !hasData && !recounted.contains(roomId)) {
                continue;
            }
            if (room == null) {
                room = F.objectNode();
                room.putObject("state").putArray("events");
                ObjectNode t = room.putObject("timeline");
                t.putArray("events");
                t.put("limited", false);
                t.put("prev_batch", RoomReader.token(next.events()));
            }
            ArrayNode eph = room.putObject("ephemeral").putArray("events");
            EventFilter ephFilter = request.ephemeral();
            for (ObjectNode e : new ObjectNode[] {typing.get(roomId), receipts.get(roomId)}) {
                if (e != null && ephFilter.matches(e.get("type").textValue(), userId, e.get("content"))) {
                    eph.add(e);
                }
            }
            ArrayNode data = room.putObject("account_data").putArray("events");
            for (AccountDataService.Change c : roomData.getOrDefault(roomId, List.of())) {
                if (roomDataFilter.matches(c.type(), userId, c.content())) {
                    data.add(F.objectNode().put("type", c.type()).set("content", c.content()));
                }
            }
            room.set("summary", rooms.summary(domain, userId, roomId));
            join.set(roomId, room);
        }
        unreadCounts.unreadNotifications(domain, userId, joinedRooms.stream().filter(join::has).toList(),
                initial ? 0 : since.events(), next.events(), request.timeline().unreadThreadNotifications())
                .forEach((roomId, counts) -> ((ObjectNode) join.get(roomId)).setAll(counts));

        ArrayNode presenceEvents = response.putObject("presence").putArray("events");
        if (initial || next.presence() > since.presence()) {
            EventFilter presenceFilter = request.presence();
            Set<String> users = coMembers(domain, userId, joinedRooms);
            // incremental: only the presence changes of the window (since, next]
            Set<String> changed = initial ? users : presence.changed(domain, users, since.presence(), next.presence());
            for (String other : users) {
                if (!changed.contains(other)) {
                    continue;
                }
                PresenceService.Status status = presence.get(domain, other);
                ObjectNode content = F.objectNode().put("presence", status.presence());
                if (status.lastActiveAgo() != null) {
                    content.put("last_active_ago", status.lastActiveAgo());
                }
                if (status.currentlyActive() != null) {
                    content.put("currently_active", status.currentlyActive());
                }
                if (status.statusMsg() != null) {
                    content.put("status_msg", status.statusMsg());
                }
                if (presenceFilter.matches("m.presence", other, content) && status.lastActiveAgo() != null) {
                    presenceEvents.add(F.objectNode().put("type", "m.presence").put("sender", other).set("content", content));
                }
            }
        }
        // E2EE sections: to-device inbox (its position is decided by what is delivered), device lists, key counts
        long toDevice = e2ee.fill(response, requester, initial, initial ? 0 : since.toDevice(), since.deviceLists(),
                next.deviceLists(), roomId -> {
                    Set<String> members = new LinkedHashSet<>();
                    reader.currentState(domain, roomId).forEach((k, e) -> {
                        if (k.type().equals("m.room.member") && ("join".equals(e.value()) || "invite".equals(e.value()))) {
                            members.add(k.stateKey());
                        }
                    });
                    return members;
                });
        response.put("next_batch", new SyncToken(next.events(), next.accountData(), next.presence(), toDevice,
                next.deviceLists(), next.receipts(), next.typing()).format());
        return response;
    }

    private String membershipAt(Domain domain, String roomId, String userId, long pos) {
        StateEntry e = rooms.stateAtPos(domain, roomId, pos).get(StateKey.member(userId));
        return e == null ? null : e.value();
    }

    private Set<String> coMembers(Domain domain, String userId, List<String> joinedRooms) {
        Set<String> users = new LinkedHashSet<>();
        users.add(userId);
        for (String roomId : joinedRooms) {
            for (Map.Entry<StateKey, StateEntry> e : reader.currentState(domain, roomId).entrySet()) {
                // users of other servers too: their presence arrives by m.presence EDUs
                if (e.getKey().type().equals("m.room.member") && "join".equals(e.getValue().value())) {
                    users.add(e.getKey().stateKey());
                    if (users.size() >= MAX_PRESENCE_USERS) {
                        return users;
                    }
                }
            }
        }
        return users;
    }

    private static boolean hasContent(ObjectNode response) {
        JsonNode rooms = response.get("rooms");
        return !rooms.get("join").isEmpty() || !rooms.get("invite").isEmpty() || !rooms.get("leave").isEmpty()
                || !rooms.get("knock").isEmpty()
                || !response.path("account_data").path("events").isEmpty()
                || !response.path("presence").path("events").isEmpty()
                || !response.path("to_device").path("events").isEmpty()
                || !response.path("device_lists").path("changed").isEmpty()
                || !response.path("device_lists").path("left").isEmpty();
    }
}
