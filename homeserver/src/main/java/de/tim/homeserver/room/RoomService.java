package de.tim.homeserver.room;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.ratelimit.RateLimiter;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.UserId;
import org.bson.Document;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Writes of local users into rooms: membership changes, messages, state and redactions. Every
 * event goes through {@link #send}, which applies the TI-M room policy before the auth rules.
 */
@Service
public class RoomService {

    private final EventPersister persister;
    private final RoomRepository rooms;
    private final StateRepository state;
    private final UserService users;
    private final RateLimiter rateLimiter;
    private final RestrictedJoins restrictedJoins;

    private final ObjectProvider<RemoteInviter> remoteInviter;

    RoomService(EventPersister persister, RoomRepository rooms, StateRepository state, UserService users, RateLimiter rateLimiter,
            RestrictedJoins restrictedJoins, ObjectProvider<RemoteInviter> remoteInviter) {
        this.restrictedJoins = restrictedJoins;
        this.remoteInviter = remoteInviter;
        this.persister = persister;
        this.rooms = rooms;
        this.state = state;
        this.users = users;
        this.rateLimiter = rateLimiter;
    }

    /** One token of the user's event rate limit (429 M_LIMIT_EXCEEDED). */
    void limit(Requester requester) {
        rateLimiter.acquire(RateLimiter.Action.MESSAGE, requester.domain(), requester.userId());
    }

    /** Policy checks, then authorisation and persistence. */
    StoredEvent send(Domain domain, String roomId, EventDraft draft) {
        if (EventTypes.MEMBER.equals(draft.type())) {
            String membership = draft.content().path("membership").asText("");
            if ((EventTypes.INVITE.equals(membership) || EventTypes.JOIN.equals(membership)) && !domain.isLocal(draft.stateKey())) {
                throw MatrixException.forbidden("Inviting or joining users of other servers needs federation");
            }
            checkDirectChatSize(domain, roomId, draft);
        }
        if (EventTypes.JOIN_RULES.equals(draft.type())) {
            checkJoinRule(domain, roomId, draft.content());
        }
        return persister.append(domain, roomId, draft);
    }

    /** Join rules the room version knows: {@code knock} needs knocking, {@code restricted} restricted joins. */
    private void checkJoinRule(Domain domain, String roomId, JsonNode content) {
        Document room = rooms.find(domain.database(), roomId);
        RoomVersion version = room == null ? null : RoomVersion.fromId(room.getString("version")).orElse(null);
        if (version == null || !content.path("join_rule").isTextual()) {
            return;
        }
        String rule = content.get("join_rule").textValue();
        boolean known = switch (rule) {
            case "public", "invite", "private" -> true;
            case "knock" -> version.supportsKnocking();
            case "restricted" -> version.supportsRestrictedJoins();
            case "knock_restricted" -> version.knockRestrictedJoinRule();
            default -> false;
        };
        if (!known) {
            throw MatrixException.badJson("Join rule " + rule + " is not supported in room version " + version.id());
        }
        JsonNode allow = content.get("allow");
        if (allow != null && !allow.isNull() && !allow.isArray()) {
            throw MatrixException.badJson("allow must be an array");
        }
    }

    /** TI-M: a room created as direct chat never has a third member (joined or invited). */
    private void checkDirectChatSize(Domain domain, String roomId, EventDraft draft) {
        String membership = draft.content().path("membership").asText("");
        if (!EventTypes.JOIN.equals(membership) && !EventTypes.INVITE.equals(membership)) {
            return;
        }
        Document room = rooms.find(domain.database(), roomId);
        if (room == null || !room.getBoolean("is_direct", false)) {
            return;
        }
        long others = state.members(domain.database(), roomId, null).stream()
                .filter(d -> "join".equals(d.getString("value")) || "invite".equals(d.getString("value")))
                .filter(d -> !d.getString("state_key").equals(draft.stateKey()))
                .count();
        if (others >= 2) {
            throw MatrixException.forbidden("A direct chat cannot have more than two members");
        }
    }

    public String sendMessage(Requester requester, String roomId, String type, String txnId, JsonNode content) {
        ObjectNode body = requireObject(content);
        if (type.length() > 255) {
            throw MatrixException.badJson("Event type too long");
        }
        requireRoom(requester.domain(), roomId);
        limit(requester);
        return send(requester.domain(), roomId, EventDraft.message(type, requester.userId(), body, requester.deviceId(), txnId))
                .eventId();
    }

    public String putState(Requester requester, String roomId, String type, String stateKey, JsonNode content) {
        ObjectNode body = requireObject(content);
        requireRoom(requester.domain(), roomId);
        if (EventTypes.MEMBER.equals(type)) {
            MatrixIdsCheck.userId(stateKey);
            body = authoriseJoin(requester, roomId, stateKey, body);
        }
        if (EventTypes.CREATE.equals(type)) {
            throw MatrixException.forbidden("The create event cannot be replaced");
        }
        limit(requester);
        return send(requester.domain(), roomId, EventDraft.state(type, stateKey, requester.userId(), body)).eventId();
    }

    /**
     * A member event sent as state: {@code join_authorised_via_users_server} is never taken from the
     * client; a self-join to a restricted room gets it from the same checks as {@code /join}.
     */
    private ObjectNode authoriseJoin(Requester requester, String roomId, String stateKey, ObjectNode content) {
        ObjectNode body = content.deepCopy();
        body.remove("join_authorised_via_users_server");
        if (EventTypes.JOIN.equals(body.path("membership").asText()) && stateKey.equals(requester.userId())) {
            Map<StateKey, StateEntry> roomState = state.current(requester.domain().database(), roomId);
            StateEntry current = roomState.get(StateKey.member(stateKey));
            if (current == null || !(EventTypes.INVITE.equals(current.value()) || EventTypes.JOIN.equals(current.value()))) {
                restrictedJoins.authoriser(requester.domain(), roomId, roomState, stateKey)
                        .ifPresent(authoriser -> body.put("join_authorised_via_users_server", authoriser));
            }
        }
        return body;
    }

    public String redact(Requester requester, String roomId, String eventId, String txnId, String reason) {
        requireRoom(requester.domain(), roomId);
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        if (reason != null) {
            content.put("reason", reason);
        }
        limit(requester);
        EventDraft draft = new EventDraft(EventTypes.REDACTION, null, requester.userId(), content, eventId,
                requester.deviceId(), txnId);
        return send(requester.domain(), roomId, draft).eventId();
    }

    // membership

    /** Joins by room id or alias of this domain; returns the room id. */
    public String join(Requester requester, String roomIdOrAlias, String reason) {
        Domain domain = requester.domain();
        String roomId = resolveRoom(domain, roomIdOrAlias);
        requireRoom(domain, roomId);
        Map<StateKey, StateEntry> roomState = state.current(domain.database(), roomId);
        StateEntry current = roomState.get(StateKey.member(requester.userId()));
        if (current != null && "join".equals(current.value())) {
            return roomId;
        }
        ObjectNode content = memberContent(domain, requester.userId(), "join", reason);
        boolean invited = current != null && "invite".equals(current.value());
        if (!invited) {
            restrictedJoins.authoriser(domain, roomId, roomState, requester.userId())
                    .ifPresent(authoriser -> content.put("join_authorised_via_users_server", authoriser));
        }
        send(domain, roomId, EventDraft.state(EventTypes.MEMBER, requester.userId(), requester.userId(), content));
        rooms.unforget(domain.database(), requester.userId(), roomId);
        return roomId;
    }

    /**
     * {@code POST /knock/{roomIdOrAlias}}: asks to join a room whose join rule is {@code knock} (or
     * {@code knock_restricted}); the auth rules refuse knocks of members, invitees and banned users.
     */
    public String knock(Requester requester, String roomIdOrAlias, String reason) {
        Domain domain = requester.domain();
        String roomId = resolveRoom(domain, roomIdOrAlias);
        Document room = requireRoom(domain, roomId);
        RoomVersion version = RoomVersion.fromId(room.getString("version")).orElseThrow();
        if (!version.supportsKnocking()) {
            throw MatrixException.forbidden("Room version " + version.id() + " does not support knocking");
        }
        limit(requester);
        send(domain, roomId, EventDraft.state(EventTypes.MEMBER, requester.userId(), requester.userId(),
                memberContent(domain, requester.userId(), EventTypes.KNOCK, reason)));
        rooms.unforget(domain.database(), requester.userId(), roomId);
        return roomId;
    }

    public void invite(Requester requester, String roomId, String userId, String reason) {
        Domain domain = requester.domain();
        MatrixIdsCheck.userId(userId);
        requireRoom(domain, roomId);
        Document room = rooms.find(domain.database(), roomId);
        boolean isDirect = room != null && room.getBoolean("is_direct", false);
        if (!domain.isLocal(userId)) {
            RemoteInviter remote = remoteInviter.getIfAvailable();
            if (remote == null) {
                throw MatrixException.forbidden("Inviting users of other servers needs federation");
            }
            remote.invite(requester, roomId, userId, reason, isDirect);
            return;
        }
        if (users.find(domain, userId).filter(u -> !u.deactivated()).isEmpty()) {
            throw MatrixException.notFound("Unknown user");
        }
        ObjectNode content = memberContent(domain, userId, "invite", reason);
        if (isDirect) {
            content.put("is_direct", true);
        }
        send(domain, roomId, EventDraft.state(EventTypes.MEMBER, userId, requester.userId(), content));
    }

    public void leave(Requester requester, String roomId, String reason) {
        requireRoom(requester.domain(), roomId);
        setMembership(requester, roomId, requester.userId(), "leave", reason);
    }

    public void kick(Requester requester, String roomId, String userId, String reason) {
        MatrixIdsCheck.userId(userId);
        requireRoom(requester.domain(), roomId);
        StateEntry current = state.current(requester.domain().database(), roomId).get(StateKey.member(userId));
        if (current == null || "leave".equals(current.value()) || "ban".equals(current.value())) {
            throw MatrixException.forbidden("The user is not a member of the room");
        }
        setMembership(requester, roomId, userId, "leave", reason);
    }

    public void ban(Requester requester, String roomId, String userId, String reason) {
        MatrixIdsCheck.userId(userId);
        requireRoom(requester.domain(), roomId);
        setMembership(requester, roomId, userId, "ban", reason);
    }

    public void unban(Requester requester, String roomId, String userId, String reason) {
        MatrixIdsCheck.userId(userId);
        requireRoom(requester.domain(), roomId);
        StateEntry current = state.current(requester.domain().database(), roomId).get(StateKey.member(userId));
        if (current == null || !"ban".equals(current.value())) {
            throw MatrixException.forbidden("The user is not banned");
        }
        setMembership(requester, roomId, userId, "leave", reason);
    }

    private void setMembership(Requester requester, String roomId, String target, String membership, String reason) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
        if (reason != null) {
            content.put("reason", reason);
        }
        send(requester.domain(), roomId, EventDraft.state(EventTypes.MEMBER, target, requester.userId(), content));
    }

    /** {@code POST /rooms/{roomId}/forget}: only after leaving. */
    public void forget(Requester requester, String roomId) {
        MongoDatabase db = requester.domain().database();
        StateEntry current = state.current(db, roomId).get(StateKey.member(requester.userId()));
        if (current == null) {
            throw MatrixException.notFound("Room not known to the user");
        }
        if ("join".equals(current.value()) || "invite".equals(current.value()) || "knock".equals(current.value())) {
            throw new MatrixException(400, "M_UNKNOWN", "The user is still a member of the room");
        }
        rooms.forget(db, requester.userId(), roomId);
    }

    /** Member event content with the user's profile for joins and invites. */
    ObjectNode memberContent(Domain domain, String userId, String membership, String reason) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership);
        users.find(domain, userId).ifPresent((User u) -> {
            if (u.displayname() != null) {
                content.put("displayname", u.displayname());
            }
            if (u.avatarUrl() != null) {
                content.put("avatar_url", u.avatarUrl());
            }
        });
        if (reason != null) {
            content.put("reason", reason);
        }
        return content;
    }

    /** Leaves all rooms of a deactivated user. */
    public void leaveAll(Domain domain, String userId) {
        for (Document m : state.memberships(domain.database(), userId)) {
            String value = m.getString("value");
            if ("join".equals(value) || "invite".equals(value) || "knock".equals(value)) {
                try {
                    persister.append(domain, m.getString("room_id"), EventDraft.state(EventTypes.MEMBER, userId, userId,
                            JsonNodeFactory.instance.objectNode().put("membership", "leave")));
                } catch (MatrixException e) {
                    // already gone or not allowed: nothing left to do for this room
                }
            }
        }
    }

    /** Sends updated member events into the user's joined rooms after a profile change. */
    public void refreshProfile(Domain domain, String userId) {
        for (Document m : state.memberships(domain.database(), userId)) {
            if ("join".equals(m.getString("value"))) {
                try {
                    persister.append(domain, m.getString("room_id"),
                            EventDraft.state(EventTypes.MEMBER, userId, userId, memberContent(domain, userId, "join", null)));
                } catch (MatrixException e) {
                    // not allowed in this room any more
                }
            }
        }
    }

    String resolveRoom(Domain domain, String roomIdOrAlias) {
        if (roomIdOrAlias.startsWith("#")) {
            return RoomAliasService.resolve(rooms, domain, roomIdOrAlias);
        }
        MatrixIdsCheck.roomId(roomIdOrAlias);
        return roomIdOrAlias;
    }

    Document requireRoom(Domain domain, String roomId) {
        MatrixIdsCheck.roomId(roomId);
        Document room = rooms.find(domain.database(), roomId);
        if (room == null) {
            throw MatrixException.notFound("Room not found");
        }
        return room;
    }

    static ObjectNode requireObject(JsonNode content) {
        if (content == null || !content.isObject()) {
            throw MatrixException.badJson("Content must be a JSON object");
        }
        return (ObjectNode) content;
    }

    /** Identifier checks for path and body values. */
    static final class MatrixIdsCheck {
        private MatrixIdsCheck() {
        }

        static void userId(String userId) {
            if (userId == null || !UserId.isValid(userId)) {
                throw MatrixException.invalidParam("Invalid user id");
            }
        }

        static void roomId(String roomId) {
            if (roomId == null || !RoomId.isValid(roomId)) {
                throw MatrixException.invalidParam("Invalid room id");
            }
        }
    }
}
