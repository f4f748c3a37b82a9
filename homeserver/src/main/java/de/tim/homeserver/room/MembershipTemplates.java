package de.tim.homeserver.room;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * The resident side of {@code make_join} / {@code make_leave}: an unsigned membership event template on
 * the room's current head (prev_events = forward extremities, auth_events by the selection algorithm)
 * for a user of the asking server, after a pre-check of the join rules (the real auth check happens
 * when the signed event comes back with {@code send_join} / {@code send_leave}).
 */
@Service
public class MembershipTemplates {

    private final RoomRepository rooms;
    private final StateRepository state;
    private final RestrictedJoins restrictedJoins;

    MembershipTemplates(RoomRepository rooms, StateRepository state, RestrictedJoins restrictedJoins) {
        this.rooms = rooms;
        this.state = state;
        this.restrictedJoins = restrictedJoins;
    }

    /** A template and the room version it is for. */
    public record Template(String roomVersion, ObjectNode event) {
    }

    /** An unsigned invite by {@code senderId} of {@code targetId} on the room's head (the caller signs and checks it). */
    public Template inviteTemplate(Domain domain, String roomId, String senderId, String targetId, ObjectNode content) {
        MongoDatabase db = domain.database();
        Document room = rooms.find(db, roomId);
        if (room == null || room.getString("state_group") == null) {
            throw MatrixException.notFound("Room not found");
        }
        Map<StateKey, StateEntry> current = state.resolve(db, room.getString("state_group"));
        Map<StateKey, EventId> ids = new HashMap<>();
        current.forEach((k, e) -> ids.put(k, new EventId(e.eventId())));
        List<EventId> auth = AuthEventSelection.authEvents(EventTypes.MEMBER, targetId, senderId, content, ids);
        return new Template(room.getString("version"), event(room, roomId, senderId, targetId, content, auth));
    }

    private static ObjectNode event(Document room, String roomId, String sender, String stateKey, ObjectNode content,
            List<EventId> auth) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("room_id", roomId);
        event.put("sender", sender);
        event.put("type", EventTypes.MEMBER);
        event.put("state_key", stateKey);
        event.set("content", content);
        ArrayNode prev = event.putArray("prev_events");
        room.getList("extremities", String.class).forEach(prev::add);
        ArrayNode authArray = event.putArray("auth_events");
        auth.forEach(id -> authArray.add(id.value()));
        event.put("depth", room.getLong("depth") + 1);
        event.put("origin_server_ts", System.currentTimeMillis());
        return event;
    }

    public Template template(Domain domain, String roomId, String userId, String membership, List<String> supportedVersions) {
        MongoDatabase db = domain.database();
        Document room = rooms.find(db, roomId);
        if (room == null || room.getString("state_group") == null) {
            throw MatrixException.notFound("Room not found");
        }
        String version = room.getString("version");
        if (supportedVersions != null && !supportedVersions.contains(version)) {
            throw new MatrixException(400, "M_INCOMPATIBLE_ROOM_VERSION", "The room's version is not supported by your server",
                    Map.of("room_version", version));
        }
        Map<StateKey, StateEntry> current = state.resolve(db, room.getString("state_group"));
        StateEntry member = current.get(StateKey.member(userId));
        String now = member == null ? null : member.value();
        if ("ban".equals(now)) {
            throw MatrixException.forbidden("User is banned from the room");
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
        if (EventTypes.JOIN.equals(membership)) {
            StateEntry joinRule = current.get(StateKey.of(EventTypes.JOIN_RULES, ""));
            boolean open = joinRule != null && "public".equals(joinRule.value());
            if (!open && !"invite".equals(now) && !"join".equals(now)) {
                // restricted rooms: a local user who may invite authorises the join (spec error codes otherwise)
                String authoriser = restrictedJoins.authoriserForRemoteUser(domain, roomId, current, userId)
                        .orElseThrow(() -> MatrixException.forbidden("You are not invited to this room"));
                content.put("join_authorised_via_users_server", authoriser);
            }
        } else if (EventTypes.KNOCK.equals(membership)) {
            requireKnockable(version, current, now);
        } else if (!"invite".equals(now) && !"join".equals(now) && !"knock".equals(now)) {
            throw MatrixException.forbidden("User is not in the room");
        }
        Map<StateKey, EventId> ids = new HashMap<>();
        current.forEach((k, e) -> ids.put(k, new EventId(e.eventId())));
        List<EventId> auth = AuthEventSelection.authEvents(EventTypes.MEMBER, userId, userId, content, ids);
        return new Template(version, event(room, roomId, userId, userId, content, auth));
    }

    /** {@code make_knock}: the room version knows knocking, the join rule allows it, the user is not in the room. */
    private static void requireKnockable(String versionId, Map<StateKey, StateEntry> current, String now) {
        RoomVersion version = RoomVersion.fromId(versionId).orElse(null);
        StateEntry joinRule = current.get(StateKey.of(EventTypes.JOIN_RULES, ""));
        String rule = joinRule == null ? null : joinRule.value();
        boolean knockable = version != null && version.supportsKnocking()
                && ("knock".equals(rule) || ("knock_restricted".equals(rule) && version.knockRestrictedJoinRule()));
        if (!knockable) {
            throw MatrixException.forbidden("You are not permitted to knock on this room");
        }
        if ("invite".equals(now) || "join".equals(now)) {
            throw MatrixException.forbidden("User is already invited to or joined the room");
        }
    }
}
