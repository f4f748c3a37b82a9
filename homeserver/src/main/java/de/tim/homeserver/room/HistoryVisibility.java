package de.tim.homeserver.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.client.MongoDatabase;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;

/**
 * "Room history visibility" for one reader: whether the user may see an event, judged by the
 * {@code history_visibility} and the user's membership in the state before the event:
 * world_readable; joined at the event; {@code shared} and joined at any point since; {@code invited}
 * and invited at the event. A user's own membership event counts with the better of the old and new
 * membership, and a user always sees their own leave after a join, invite or knock (as Synapse does).
 */
final class HistoryVisibility {

    static final Set<String> VALUES = Set.of("invited", "joined", "shared", "world_readable");
    private static final List<String> PRIORITY = List.of("join", "invite", "knock", "leave", "ban");

    private final MongoDatabase db;
    private final String userId;
    private final StateRepository state;
    private final EventRepository events;
    private final Map<String, Long> lastJoin = new HashMap<>();

    HistoryVisibility(MongoDatabase db, String userId, StateRepository state, EventRepository events) {
        this.db = db;
        this.userId = userId;
        this.state = state;
        this.events = events;
    }

    boolean canSee(StoredEvent event) {
        Map<StateKey, StateEntry> before = state.resolve(db, event.stateBefore());
        StateEntry hvEntry = before.get(StateKey.of(EventTypes.HISTORY_VISIBILITY, ""));
        String hv = hvEntry == null || hvEntry.value() == null ? "shared" : hvEntry.value();
        if (hv.equals("world_readable")) {
            return true;
        }
        StateEntry memberBefore = before.get(StateKey.member(userId));
        String membership = memberBefore == null || memberBefore.value() == null ? "leave" : memberBefore.value();
        if (EventTypes.MEMBER.equals(event.type()) && userId.equals(event.pdu().stateKey().orElse(null))) {
            String now = event.pdu().membership().orElse("leave");
            if (!PRIORITY.contains(now)) {
                now = "leave";
            }
            if (now.equals("leave") && (membership.equals("join") || membership.equals("invite")
                    || membership.equals("knock"))) {
                return true;
            }
            if (PRIORITY.indexOf(now) < PRIORITY.indexOf(membership)) {
                membership = now;
            }
        }
        if (membership.equals("join")) {
            return true;
        }
        if (hv.equals("shared")) {
            return lastJoin.computeIfAbsent(event.roomId(), r -> events.lastJoinPos(db, r, userId)) >= event.pos();
        }
        return hv.equals("invited") && membership.equals("invite");
    }
}
