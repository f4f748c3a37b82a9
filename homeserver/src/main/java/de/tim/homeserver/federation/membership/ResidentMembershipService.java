package de.tim.homeserver.federation.membership;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.access.RoomAccess;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.MembershipTemplates;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.UserId;
import org.springframework.stereotype.Service;

/**
 * The resident server's side of the membership handshakes {@code make_join}/{@code send_join} (v2) and
 * {@code make_leave}/{@code send_leave} (v2): templates for users of the asking server, then the
 * signed event is verified (format, origin's signature, content hash, event id, it is the asking
 * server's user's own membership), authorised and appended to the room.
 */
@Service
public class ResidentMembershipService {

    private final MembershipTemplates templates;
    private final RemoteEventPersister persister;
    private final FederationRoomReader reader;
    private final RoomAccess access;
    private final EventAuthorizers authorizers;
    private final JoinAuthorisation joinAuthorisation;

    ResidentMembershipService(MembershipTemplates templates, RemoteEventPersister persister, FederationRoomReader reader,
            RoomAccess access, EventAuthorizers authorizers, JoinAuthorisation joinAuthorisation) {
        this.joinAuthorisation = joinAuthorisation;
        this.templates = templates;
        this.persister = persister;
        this.reader = reader;
        this.access = access;
        this.authorizers = authorizers;
    }

    /** {@code make_join} / {@code make_leave}: {@code room_version} and {@code event}. */
    public Map<String, Object> template(Domain domain, FederationOrigin origin, String roomId, String userId,
            String membership, List<String> versions) {
        access.requireAclAllows(domain, origin, roomId);
        requireOriginsUser(origin, userId);
        MembershipTemplates.Template template = templates.template(domain, roomId, userId, membership, versions);
        return Map.of("room_version", template.roomVersion(), "event", template.event());
    }

    /** {@code send_join}: persists the join; the state before it and its auth chain. */
    public Map<String, Object> sendJoin(Domain domain, FederationOrigin origin, String roomId, String eventId, JsonNode body) {
        StoredEvent join = receive(domain, origin, roomId, eventId, body, EventTypes.JOIN);
        List<String> state = reader.stateIdsBefore(domain, join);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("origin", domain.serverName());
        response.put("members_omitted", false);
        response.put("state", pdus(domain, state));
        response.put("auth_chain", pdus(domain, reader.authChainIds(domain, state)));
        response.put("event", reader.federationJson(join));
        return response;
    }

    /** {@code send_knock} (v1): persists the knock; {@code knock_room_state} (stripped state and the knock). */
    public Map<String, Object> sendKnock(Domain domain, FederationOrigin origin, String roomId, String eventId, JsonNode body) {
        StoredEvent knock = receive(domain, origin, roomId, eventId, body, EventTypes.KNOCK);
        return Map.of("knock_room_state", reader.strippedState(domain, roomId, knock.sender()));
    }

    /** {@code send_leave}: persists the leave. */
    public void sendLeave(Domain domain, FederationOrigin origin, String roomId, String eventId, JsonNode body) {
        receive(domain, origin, roomId, eventId, body, EventTypes.LEAVE);
    }

    private StoredEvent receive(Domain domain, FederationOrigin origin, String roomId, String eventId, JsonNode body,
            String membership) {
        access.requireAclAllows(domain, origin, roomId);
        if (!(body instanceof ObjectNode json)) {
            throw MatrixException.badJson("Body must be the signed membership event");
        }
        RoomVersion version = reader.roomVersion(domain, roomId).flatMap(RoomVersion::fromId)
                .orElseThrow(() -> MatrixException.notFound("Room not found"));
        PduVerification verification = authorizers.verifier(domain).verify(json.deepCopy(), version, RoomId.parse(roomId));
        if (verification.outcome() != PduVerification.Outcome.ACCEPT) {
            throw MatrixException.badJson("Event refused: " + verification.reason().orElse("invalid"));
        }
        Pdu pdu = verification.pdu().orElseThrow();
        if (!pdu.eventId().value().equals(eventId)) {
            throw MatrixException.badJson("Event id does not match the event");
        }
        if (!EventTypes.MEMBER.equals(pdu.type()) || !pdu.membership().filter(membership::equals).isPresent()
                || !pdu.stateKey().filter(pdu.sender().value()::equals).isPresent()) {
            throw MatrixException.badJson("Event must be the sender's own " + membership);
        }
        requireOriginsUser(origin, pdu.sender().value());
        pdu = joinAuthorisation.countersign(domain, pdu);
        RemoteEventPersister.Result result = persister.persist(domain, pdu, authorizers.authorizer(domain));
        return switch (result.outcome()) {
            case PERSISTED, DUPLICATE -> result.event();
            case REJECTED, SOFT_FAILED -> throw MatrixException.forbidden("Membership not allowed: " + result.reason());
            case UNKNOWN_ROOM -> throw MatrixException.notFound("Room not found");
            case MISSING_EVENTS, NOT_AT_HEAD -> throw MatrixException.badJson("Event is not based on the room's current "
                    + "state; ask for a new template");
        };
    }

    private static void requireOriginsUser(FederationOrigin origin, String userId) {
        UserId user;
        try {
            user = UserId.parseHistorical(userId);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        if (!user.domain().equals(origin.server())) {
            throw MatrixException.forbidden("The user does not belong to the requesting server");
        }
    }

    private List<ObjectNode> pdus(Domain domain, java.util.Collection<String> ids) {
        List<ObjectNode> result = new ArrayList<>();
        reader.events(domain, ids).forEach(e -> result.add(reader.federationJson(e)));
        return result;
    }
}
