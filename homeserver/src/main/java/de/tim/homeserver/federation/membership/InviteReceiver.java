package de.tim.homeserver.federation.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.api.client.capabilities.RoomVersionsProperties;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.access.RoomAccess;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.homeserver.room.RemoteInviteStore;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.springframework.stereotype.Service;

/**
 * The invitee's side of {@code PUT /_matrix/federation/v2/invite}: the event must be a valid invite
 * (format, the origin's signature, content hash, event id of the path) by a user of the origin for an
 * active local user, in a supported room version; it is countersigned and stored for the invitee
 * (with {@code invite_room_state}, so it shows in {@code /sync}); if this server is in the room (a local
 * user is joined), it is persisted as a room event instead. A room this server knows but every local user
 * has left counts as not in: our copy is stale (its head is not the inviter's), so the invite is stored like
 * one to an unknown room and {@code /join} goes over federation (rejoin).
 */
@Service
public class InviteReceiver {

    private static final int MAX_STRIPPED = 50;

    private final EventAuthorizers authorizers;
    private final FederationRoomReader reader;
    private final RoomAccess access;
    private final RemoteInviteStore store;
    private final RemoteEventPersister persister;
    private final UserService users;
    private final RoomVersionsProperties versions;

    InviteReceiver(EventAuthorizers authorizers, FederationRoomReader reader, RoomAccess access, RemoteInviteStore store,
            RemoteEventPersister persister, UserService users, RoomVersionsProperties versions) {
        this.authorizers = authorizers;
        this.reader = reader;
        this.access = access;
        this.store = store;
        this.persister = persister;
        this.users = users;
        this.versions = versions;
    }

    public Map<String, Object> receive(Domain domain, FederationOrigin origin, String roomId, String eventId, JsonNode body) {
        if (body == null || !(body.get("event") instanceof ObjectNode event) || !body.path("room_version").isTextual()) {
            throw MatrixException.badJson("room_version and event are required");
        }
        String versionId = body.get("room_version").textValue();
        RoomVersion version = RoomVersion.fromId(versionId).filter(v -> versions.supported().contains(v.id()))
                .orElseThrow(() -> new MatrixException(400, "M_INCOMPATIBLE_ROOM_VERSION", "Room version not supported",
                        Map.of("room_version", versionId)));
        RoomId room;
        try {
            room = RoomId.parse(roomId);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        PduVerification verification = authorizers.verifier(domain).verify(event.deepCopy(), version, room);
        if (verification.outcome() != PduVerification.Outcome.ACCEPT) {
            throw MatrixException.forbidden("Invite refused: " + verification.reason().orElse("invalid"));
        }
        Pdu invite = verification.pdu().orElseThrow();
        if (!invite.eventId().value().equals(eventId)) {
            throw MatrixException.badJson("Event id does not match the event");
        }
        if (!EventTypes.MEMBER.equals(invite.type()) || !invite.membership().filter(EventTypes.INVITE::equals).isPresent()) {
            throw MatrixException.badJson("Event is not an invite");
        }
        if (!invite.sender().domain().equals(origin.server())) {
            throw MatrixException.forbidden("The inviter does not belong to the requesting server");
        }
        String invitee = invite.stateKey().orElseThrow();
        if (!domain.isLocal(invitee) || users.find(domain, invitee).filter(u -> !u.deactivated()).isEmpty()) {
            throw MatrixException.notFound("Unknown user");
        }
        ObjectNode countersigned = EventSigning.addSignature(event.deepCopy(), version, ServerName.parse(domain.serverName()),
                domain.signingKey());
        Pdu stored = Pdu.fromJson(countersigned.deepCopy(), version);
        if (reader.isResident(domain, roomId) && reader.isInRoom(domain, roomId, ServerName.parse(domain.serverName()))) {
            access.requireAclAllows(domain, origin, roomId);
            RemoteEventPersister.Result result = persister.persist(domain, stored, authorizers.authorizer(domain));
            if (result.outcome() == RemoteEventPersister.Outcome.REJECTED
                    || result.outcome() == RemoteEventPersister.Outcome.SOFT_FAILED) {
                throw MatrixException.forbidden("Invite not allowed in this room");
            }
            // MISSING_EVENTS: the inviter is ahead of us; the invite reaches us again in its /send transaction,
            // which fetches the missing events first
        } else {
            store.storeInvite(domain, stored, stripped(body.path("invite_room_state")));
        }
        return Map.of("event", countersigned);
    }

    private static List<ObjectNode> stripped(JsonNode state) {
        List<ObjectNode> result = new ArrayList<>();
        if (!state.isArray()) {
            return result;
        }
        for (JsonNode e : state) {
            if (result.size() >= MAX_STRIPPED) {
                break;
            }
            if (e instanceof ObjectNode o && o.path("type").isTextual() && o.path("state_key").isTextual()
                    && o.path("sender").isTextual() && o.path("content").isObject()) {
                ObjectNode copy = o.objectNode();
                copy.set("type", o.get("type"));
                copy.set("state_key", o.get("state_key"));
                copy.set("sender", o.get("sender"));
                copy.set("content", o.get("content"));
                result.add(copy);
            }
        }
        return result;
    }
}
