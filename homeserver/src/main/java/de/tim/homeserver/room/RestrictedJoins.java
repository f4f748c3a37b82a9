package de.tim.homeserver.room;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.PowerLevels;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * "Restricted rooms": a user without an invite joins a room with the join rule {@code restricted} (or
 * {@code knock_restricted}) only when they are joined to one of the rooms of its {@code allow}
 * conditions ({@code m.room_membership}; rooms of this domain, the only ones whose membership this
 * server can verify). The join then names a joined local user with the power to invite in
 * {@code join_authorised_via_users_server} (the auth rules check it again).
 */
@Component
class RestrictedJoins {

    private final StateRepository state;
    private final EventRepository events;
    private final RoomRepository rooms;

    RestrictedJoins(StateRepository state, EventRepository events, RoomRepository rooms) {
        this.state = state;
        this.events = events;
        this.rooms = rooms;
    }

    /**
     * The authorising user for a join of {@code userId}; empty when the room is not restricted.
     *
     * @throws MatrixException 403 when no condition is met or no local member may invite
     */
    Optional<String> authoriser(Domain domain, String roomId, Map<StateKey, StateEntry> current, String userId) {
        MongoDatabase db = domain.database();
        StateEntry rule = current.get(StateKey.JOIN_RULES);
        Document room = rooms.find(db, roomId);
        RoomVersion version = room == null ? null : RoomVersion.fromId(room.getString("version")).orElse(null);
        if (rule == null || version == null || !version.supportsRestrictedJoins() || !isRestricted(rule.value(), version)) {
            return Optional.empty();
        }
        StateEntry member = current.get(StateKey.member(userId));
        if (member != null && EventTypes.BAN.equals(member.value())) {
            throw MatrixException.forbidden("You are banned from this room");
        }
        JsonNode allow = content(db, rule.eventId()).path("allow");
        boolean satisfied = false;
        for (JsonNode condition : allow.isArray() ? allow : JsonNodeFactory.instance.arrayNode()) {
            if ("m.room_membership".equals(condition.path("type").asText()) && condition.path("room_id").isTextual()) {
                StateEntry there = state.current(db, condition.get("room_id").textValue()).get(StateKey.member(userId));
                if (there != null && EventTypes.JOIN.equals(there.value())) {
                    satisfied = true;
                    break;
                }
            }
        }
        if (!satisfied) {
            throw MatrixException.forbidden("You do not meet any of the conditions to join this room");
        }
        StateEntry pl = current.get(StateKey.POWER_LEVELS);
        StateEntry create = current.get(StateKey.CREATE);
        PowerLevels levels = pl != null ? PowerLevels.of(content(db, pl.eventId()), version)
                : PowerLevels.absent(create == null ? null : sender(db, create.eventId()), version);
        return Optional.of(current.entrySet().stream()
                .filter(e -> e.getKey().type().equals(EventTypes.MEMBER) && EventTypes.JOIN.equals(e.getValue().value()))
                .map(e -> e.getKey().stateKey())
                .filter(domain::isLocal)
                .filter(u -> levels.userLevel(u) >= levels.invite())
                .max(Comparator.comparingLong(levels::userLevel).thenComparing(Comparator.reverseOrder()))
                .orElseThrow(() -> MatrixException.forbidden("No member of this server can authorise the join")));
    }

    static boolean isRestricted(String joinRule, RoomVersion version) {
        return "restricted".equals(joinRule) || ("knock_restricted".equals(joinRule) && version.knockRestrictedJoinRule());
    }

    private JsonNode content(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        return doc == null ? MissingNode.getInstance() : StoredEvent.of(doc).pdu().content();
    }

    private String sender(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        return doc == null ? null : StoredEvent.of(doc).sender();
    }
}
