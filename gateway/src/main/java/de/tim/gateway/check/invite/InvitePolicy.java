package de.tim.gateway.check.invite;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.RoomAlias;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;

/**
 * Stage 1 of the permission concept for Client-Server requests (gemSpec_TI-Messenger-Dienst §3.5):
 * every Matrix domain a request would invite or contact must belong to the TI federation; createRoom
 * invites at most one user; third-party (3PID) invites are refused. Plain logic without Spring.
 */
public class InvitePolicy {

    private final FederationMembership federation;

    public InvitePolicy(FederationMembership federation) {
        this.federation = federation;
    }

    /** {@code POST /createRoom}. */
    public InviteDecision createRoom(JsonNode body) {
        JsonNode invite = body.get("invite");
        if (invite != null && !invite.isNull()) {
            if (!invite.isArray()) {
                return InviteDecision.badRequest("bad-invite-list", MatrixException.badJson("invite must be a list of user ids"));
            }
            if (invite.size() > 1) {
                return InviteDecision.forbidden("createroom-too-many-invitees", "createRoom may invite at most one user");
            }
            for (JsonNode invitee : invite) {
                InviteDecision decision = invitee(invitee);
                if (!decision.allowed()) {
                    return decision;
                }
            }
        }
        JsonNode thirdParty = body.get("invite_3pid");
        if (thirdParty != null && !thirdParty.isNull() && (!thirdParty.isArray() || !thirdParty.isEmpty())) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        JsonNode initialState = body.get("initial_state");
        if (initialState != null && initialState.isArray()) {
            for (JsonNode event : initialState) {
                JsonNode type = event.get("type");
                if (type != null && (type.asText().equals("m.room.member") || type.asText().equals("m.room.third_party_invite"))) {
                    return InviteDecision.forbidden("membership-in-initial-state", "initial_state must not contain membership events");
                }
            }
        }
        return InviteDecision.ALLOWED;
    }

    /** {@code POST /rooms/{roomId}/invite}. */
    public InviteDecision invite(JsonNode body) {
        if (body.has("id_server") || body.has("medium") || body.has("address") || body.has("id_access_token")) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        JsonNode userId = body.get("user_id");
        if (userId == null) {
            return InviteDecision.badRequest("missing-user-id", MatrixException.missingParam("user_id is required"));
        }
        return invitee(userId);
    }

    /** {@code PUT /rooms/{roomId}/state/{eventType}/{stateKey}}. */
    public InviteDecision stateEvent(String eventType, String stateKey, JsonNode content) {
        if (eventType.equals("m.room.third_party_invite")) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        if (!eventType.equals("m.room.member")) {
            return InviteDecision.ALLOWED;
        }
        JsonNode membership = content.get("membership");
        if (content.has("third_party_invite")) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        if (membership != null && membership.isTextual() && membership.asText().equals("invite")) {
            return invitee(com.fasterxml.jackson.databind.node.TextNode.valueOf(stateKey));
        }
        return InviteDecision.ALLOWED;
    }

    /**
     * {@code POST /join/{roomIdOrAlias}}, {@code POST /rooms/{roomId}/join}, {@code POST /knock/{roomIdOrAlias}}:
     * every server the homeserver may contact for the join must be federated.
     */
    public InviteDecision join(String roomIdOrAlias, List<String> viaServers, JsonNode body) {
        if (body != null && body.has("third_party_signed")) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        ServerName roomServer;
        try {
            roomServer = roomIdOrAlias.startsWith("#") ? RoomAlias.parse(roomIdOrAlias).domain() : RoomId.parse(roomIdOrAlias).domain();
        } catch (IllegalArgumentException e) {
            return InviteDecision.badRequest("bad-room", MatrixException.invalidParam("Not a room id or alias"));
        }
        if (!federation.isMember(roomServer)) {
            return InviteDecision.forbidden("join-not-federated", "The room's server does not belong to the TI federation");
        }
        for (String via : viaServers) {
            ServerName server;
            try {
                server = ServerName.parse(via);
            } catch (IllegalArgumentException e) {
                return InviteDecision.badRequest("bad-server-name", MatrixException.invalidParam("Invalid server name"));
            }
            if (!federation.isMember(server)) {
                return InviteDecision.forbidden("join-not-federated", "A server to join through does not belong to the TI federation");
            }
        }
        return InviteDecision.ALLOWED;
    }

    private InviteDecision invitee(JsonNode value) {
        if (value == null || !value.isTextual()) {
            return InviteDecision.badRequest("bad-user-id", MatrixException.badJson("A user id must be a string"));
        }
        UserId user;
        try {
            user = UserId.parseHistorical(value.asText());
        } catch (IllegalArgumentException e) {
            return InviteDecision.badRequest("bad-user-id", MatrixException.invalidParam("Invalid user id"));
        }
        if (!federation.isMember(user.domain())) {
            return InviteDecision.forbidden("invitee-not-federated", "The invitee's domain does not belong to the TI federation");
        }
        return InviteDecision.ALLOWED;
    }
}
