package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.springframework.stereotype.Component;

/**
 * Builds one room of a {@code /sync} response: timeline (visible, filtered, limited with
 * {@code prev_batch}), state up to the start of the timeline (full, or the delta since the last sync;
 * lazy-loaded members), summary; and the stripped {@code invite_state} of invites.
 */
@Component
class SyncRoomBuilder {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int DEFAULT_TIMELINE_LIMIT = 10;
    private static final int MAX_SCAN = 500;
    private static final Set<String> STRIPPED = Set.of(EventTypes.CREATE, EventTypes.JOIN_RULES, "m.room.name",
            "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

    private final RoomReader reader;

    SyncRoomBuilder(RoomReader reader) {
        this.reader = reader;
    }

    /** Timeline and state of a joined (or left: {@code upTo} = leave position) room; null if nothing to say. */
    ObjectNode room(Domain domain, String userId, String deviceId, String roomId, long since, long upTo, boolean fullState,
            SyncRequest request, HistoryVisibility visibility) {
        EventFilter timelineFilter = request.timeline();
        int limit = timelineFilter.limit() == null ? DEFAULT_TIMELINE_LIMIT : Math.max(0, timelineFilter.limit());
        List<StoredEvent> timeline = new ArrayList<>();
        boolean limited = false;
        long cursor = upTo;
        int batchSize = Math.max(limit * 2, 20);
        int scanned = 0;
        outer:
        while (cursor > since) {
            List<StoredEvent> batch = reader.range(domain, roomId, since, cursor, false, batchSize);
            for (StoredEvent e : batch) {
                if (++scanned > MAX_SCAN + limit * 10) {
                    // history the user may not see is not scanned to its start: the client can paginate on
                    limited = true;
                    break outer;
                }
                cursor = e.pos() - 1;
                if (timelineFilter.matches(e) && visibility.canSee(e)) {
                    if (timeline.size() == limit) {
                        limited = true;
                        cursor = e.pos();
                        break outer;
                    }
                    timeline.add(e);
                }
            }
            if (batch.size() < batchSize) {
                break;
            }
        }
        Collections.reverse(timeline);
        long start = timeline.isEmpty() ? upTo : timeline.get(0).pos() - 1;
        Map<StateKey, StateEntry> atStart = stateAt(domain, roomId, start);
        Map<StateKey, StateEntry> atSince = fullState ? Map.of() : stateAt(domain, roomId, since);
        EventFilter stateFilter = request.state();
        Set<String> lazyMembers = new LinkedHashSet<>();
        if (stateFilter.lazyLoadMembers()) {
            lazyMembers.add(userId);
            timeline.forEach(e -> lazyMembers.add(e.sender()));
        }
        List<String> stateIds = new ArrayList<>();
        atStart.forEach((k, v) -> {
            StateEntry before = atSince.get(k);
            if (before != null && before.eventId().equals(v.eventId())) {
                return;
            }
            if (stateFilter.lazyLoadMembers() && k.type().equals(EventTypes.MEMBER) && !lazyMembers.contains(k.stateKey())) {
                return;
            }
            stateIds.add(v.eventId());
        });
        if (!fullState && timeline.isEmpty() && stateIds.isEmpty()) {
            return null;
        }
        EventFormat format = request.eventFormat();
        ObjectNode room = F.objectNode();
        ArrayNode stateEvents = room.putObject("state").putArray("events");
        for (StoredEvent e : reader.load(domain, stateIds)) {
            if (stateFilter.matches(e)) {
                stateEvents.add(format.format(reader, domain, e, userId, deviceId));
            }
        }
        ObjectNode t = room.putObject("timeline");
        ArrayNode events = t.putArray("events");
        timeline.forEach(e -> events.add(format.format(reader, domain, e, userId, deviceId)));
        t.put("limited", limited);
        t.put("prev_batch", RoomReader.token(start));
        return room;
    }

    /** Summary ({@code m.heroes}, member counts) from the current state. */
    ObjectNode summary(Domain domain, String userId, String roomId) {
        Map<StateKey, StateEntry> current = reader.currentState(domain, roomId);
        long joined = 0;
        long invited = 0;
        List<String> heroes = new ArrayList<>();
        for (Map.Entry<StateKey, StateEntry> e : current.entrySet()) {
            if (!e.getKey().type().equals(EventTypes.MEMBER)) {
                continue;
            }
            String m = e.getValue().value();
            if ("join".equals(m)) {
                joined++;
            } else if ("invite".equals(m)) {
                invited++;
            }
            if (("join".equals(m) || "invite".equals(m)) && !e.getKey().stateKey().equals(userId)) {
                heroes.add(e.getKey().stateKey());
            }
        }
        Collections.sort(heroes);
        ObjectNode summary = F.objectNode();
        ArrayNode h = summary.putArray("m.heroes");
        heroes.stream().limit(5).forEach(h::add);
        summary.put("m.joined_member_count", joined);
        summary.put("m.invited_member_count", invited);
        return summary;
    }

    /** {@code invite_state}: stripped state of the room plus the invite event. */
    ObjectNode invite(Domain domain, String roomId, String inviteEventId) {
        return stripped(domain, roomId, inviteEventId, "invite_state");
    }

    /** {@code knock_state}: stripped state of the room plus the user's knock event. */
    ObjectNode knock(Domain domain, String roomId, String knockEventId) {
        return stripped(domain, roomId, knockEventId, "knock_state");
    }

    private ObjectNode stripped(Domain domain, String roomId, String memberEventId, String field) {
        Map<StateKey, StateEntry> current = reader.currentState(domain, roomId);
        ObjectNode room = F.objectNode();
        ArrayNode events = room.putObject(field).putArray("events");
        // invite (knock) stored outside the room's graph (RemoteInviteStore) for a room we
        // are not in, unknown here or left by every local user (then our copy is stale): the stripped state the
        // other server sent along
        String remote = reader.requireRoom(domain, roomId).getString(RemoteInviteStore.INVITE_ROOM_STATE);
        boolean outOfGraph = remote != null && (!current.containsKey(StateKey.CREATE)
                || reader.load(domain, List.of(memberEventId)).stream().anyMatch(RemoteInviteStore::isOutOfGraph));
        List<String> ids = new ArrayList<>();
        if (outOfGraph) {
            StoredEvent.parse(remote).path("events").forEach(events::add);
        } else {
            current.forEach((k, v) -> {
                if (STRIPPED.contains(k.type()) && k.stateKey().isEmpty()) {
                    ids.add(v.eventId());
                }
            });
        }
        ids.add(memberEventId);
        for (StoredEvent e : reader.load(domain, ids)) {
            events.add(ClientEvents.stripped(e.redactedBy() != null ? redactedCopy(e) : e));
        }
        return room;
    }

    private static StoredEvent redactedCopy(StoredEvent e) {
        return new StoredEvent(e.pdu().redacted(), e.pos(), e.stateBefore(), e.stateAfter(), e.redactedBy(), null, null, null);
    }

    private Map<StateKey, StateEntry> stateAt(Domain domain, String roomId, long pos) {
        if (pos <= 0) {
            return Map.of();
        }
        String group = reader.stateGroupAt(domain, roomId, pos);
        return group == null ? Map.of() : reader.resolve(domain, group);
    }

    Map<StateKey, StateEntry> stateAtPos(Domain domain, String roomId, long pos) {
        return stateAt(domain, roomId, pos);
    }
}
