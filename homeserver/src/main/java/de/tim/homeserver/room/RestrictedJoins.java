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
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * "Restricted rooms": a user without an invite joins a room with the join rule {@code restricted} (or
 * {@code knock_restricted}) only when they are joined to one of the rooms of its {@code allow}
 * conditions ({@code m.room_membership}; rooms this server is resident in, the only ones whose membership
 * it can verify). The join then names a joined local user with the power to invite in
 * {@code join_authorised_via_users_server} (the auth rules check it again). Local users get 403 for
 * every refusal; users of other servers ({@code make_join}/{@code send_join}) get the server-server
 * spec's codes.
 */
@Component
public class RestrictedJoins {

    /** Why a restricted join is refused. */
    enum Refusal {
        /** The user is banned. */
        BANNED,
        /** No condition is met (or there are none). */
        NOT_ALLOWED,
        /** This server is in none of the allowed rooms, so it cannot check the conditions. */
        CANNOT_VERIFY,
        /** A condition is met, but no joined local member may invite. */
        NO_AUTHORISER
    }

    private final StateRepository state;
    private final EventRepository events;
    private final RoomRepository rooms;

    RestrictedJoins(StateRepository state, EventRepository events, RoomRepository rooms) {
        this.state = state;
        this.events = events;
        this.rooms = rooms;
    }

    /**
     * The authorising user for a join of the local user {@code userId}; empty when the room is not restricted.
     *
     * @throws MatrixException 403 when no condition is met or no local member may invite
     */
    Optional<String> authoriser(Domain domain, String roomId, Map<StateKey, StateEntry> current, String userId) {
        return decide(domain, roomId, current, userId, refusal -> MatrixException.forbidden(switch (refusal) {
            case BANNED -> "You are banned from this room";
            case NO_AUTHORISER -> "No member of this server can authorise the join";
            default -> "You do not meet any of the conditions to join this room";
        }));
    }

    /**
     * The authorising local user for a join of {@code userId} of another server ({@code make_join},
     * {@code send_join}); empty when the room is not restricted or the user is invited or joined already.
     *
     * @throws MatrixException 403 {@code M_FORBIDDEN} when banned or no condition is met, 400
     *                         {@code M_UNABLE_TO_AUTHORISE_JOIN} when this server is in none of the allowed rooms,
     *                         400 {@code M_UNABLE_TO_GRANT_JOIN} when no local member may invite
     */
    public Optional<String> authoriserForRemoteUser(Domain domain, String roomId, Map<StateKey, StateEntry> current,
            String userId) {
        StateEntry member = current.get(StateKey.member(userId));
        if (member != null && (EventTypes.INVITE.equals(member.value()) || EventTypes.JOIN.equals(member.value()))) {
            return Optional.empty();
        }
        return decide(domain, roomId, current, userId, refusal -> switch (refusal) {
            case BANNED -> MatrixException.forbidden("User is banned from the room");
            case NOT_ALLOWED -> MatrixException.forbidden("The user meets none of the conditions to join this room");
            case CANNOT_VERIFY -> new MatrixException(400, MatrixErrorCodes.M_UNABLE_TO_AUTHORISE_JOIN,
                    "This server is in none of the rooms that allow joining");
            case NO_AUTHORISER -> new MatrixException(400, MatrixErrorCodes.M_UNABLE_TO_GRANT_JOIN,
                    "No user of this server can authorise the join; try another server");
        });
    }

    /** The current state of a room of this server (for callers outside this package). */
    public Map<StateKey, StateEntry> currentState(Domain domain, String roomId) {
        return state.current(domain.database(), roomId);
    }

    private Optional<String> decide(Domain domain, String roomId, Map<StateKey, StateEntry> current, String userId,
            java.util.function.Function<Refusal, MatrixException> refuse) {
        MongoDatabase db = domain.database();
        StateEntry rule = current.get(StateKey.JOIN_RULES);
        Document room = rooms.find(db, roomId);
        RoomVersion version = room == null ? null : RoomVersion.fromId(room.getString("version")).orElse(null);
        if (rule == null || version == null || !version.supportsRestrictedJoins() || !isRestricted(rule.value(), version)) {
            return Optional.empty();
        }
        StateEntry member = current.get(StateKey.member(userId));
        if (member != null && EventTypes.BAN.equals(member.value())) {
            throw refuse.apply(Refusal.BANNED);
        }
        JsonNode allow = content(db, rule.eventId()).path("allow");
        boolean satisfied = false;
        boolean verifiable = false;
        for (JsonNode condition : allow.isArray() ? allow : JsonNodeFactory.instance.arrayNode()) {
            if ("m.room_membership".equals(condition.path("type").asText()) && condition.path("room_id").isTextual()) {
                Map<StateKey, StateEntry> allowed = state.current(db, condition.get("room_id").textValue());
                verifiable |= allowed.containsKey(StateKey.CREATE);
                StateEntry there = allowed.get(StateKey.member(userId));
                if (there != null && EventTypes.JOIN.equals(there.value())) {
                    satisfied = true;
                    break;
                }
            }
        }
        if (!satisfied) {
            throw refuse.apply(verifiable || !hasConditions(allow) ? Refusal.NOT_ALLOWED : Refusal.CANNOT_VERIFY);
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
                .orElseThrow(() -> refuse.apply(Refusal.NO_AUTHORISER)));
    }

    /** Whether {@code allow} has at least one condition of a known type with the required fields. */
    private static boolean hasConditions(JsonNode allow) {
        if (!allow.isArray()) {
            return false;
        }
        for (JsonNode condition : allow) {
            if ("m.room_membership".equals(condition.path("type").asText()) && condition.path("room_id").isTextual()) {
                return true;
            }
        }
        return false;
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
