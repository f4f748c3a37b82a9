package de.tim.homeserver.federation.membership;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.federation.keys.ServerKeyStore;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.MembershipTemplates;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.homeserver.room.RemoteInviter;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduSignatures;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import org.springframework.stereotype.Service;

/**
 * The inviting side of "Inviting to a room" (v2): a local user invites a user of another server. The
 * invite is built on the room's head, signed and checked against the auth rules here first, then sent
 * with {@code invite_room_state} to the invitee's server, which countersigns it; the countersigned event
 * (signed by both servers, same event id) is persisted as a room event. If the room moved on meanwhile
 * the invite is built again (at most three times).
 */
@Service
public class RemoteInviteService implements RemoteInviter {

    private static final int ATTEMPTS = 3;

    private final MembershipTemplates templates;
    private final RemoteEventPersister persister;
    private final FederationRoomReader reader;
    private final EventAuthorizers authorizers;
    private final ServerKeyStore keys;
    private final FederationClient client;

    RemoteInviteService(MembershipTemplates templates, RemoteEventPersister persister, FederationRoomReader reader,
            EventAuthorizers authorizers, ServerKeyStore keys, FederationClient client) {
        this.templates = templates;
        this.persister = persister;
        this.reader = reader;
        this.authorizers = authorizers;
        this.keys = keys;
        this.client = client;
    }

    @Override
    public void invite(Requester requester, String roomId, String userId, String reason, boolean isDirect) {
        Domain domain = requester.domain();
        UserId invitee;
        try {
            invitee = UserId.parseHistorical(userId);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid user id");
        }
        EventAuthorizer authorizer = authorizers.authorizer(domain);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", EventTypes.INVITE);
            if (reason != null) {
                content.put("reason", reason);
            }
            if (isDirect) {
                content.put("is_direct", true);
            }
            MembershipTemplates.Template template = templates.inviteTemplate(domain, roomId, requester.userId(), userId, content);
            RoomVersion version = RoomVersion.fromId(template.roomVersion()).orElseThrow();
            ObjectNode signed = EventSigning.hashAndSign(template.event(), version, ServerName.parse(domain.serverName()),
                    domain.signingKey());
            Pdu invite = Pdu.fromJson(signed.deepCopy(), version);
            RemoteEventPersister.Result allowed = persister.check(domain, invite, authorizer);
            if (allowed.outcome() == RemoteEventPersister.Outcome.NOT_AT_HEAD) {
                continue;
            }
            if (allowed.outcome() != RemoteEventPersister.Outcome.PERSISTED) {
                throw MatrixException.forbidden("Invite not allowed: " + allowed.reason());
            }
            Pdu countersigned = sendInvite(domain, invitee.domain(), invite, signed, version);
            RemoteEventPersister.Result result = persister.persist(domain, countersigned, authorizer);
            if (result.stored()) {
                return;
            }
            if (result.outcome() != RemoteEventPersister.Outcome.NOT_AT_HEAD) {
                throw MatrixException.forbidden("Invite not allowed: " + result.reason());
            }
        }
        throw new MatrixException(503, "M_UNKNOWN", "Room is busy, try again");
    }

    private Pdu sendInvite(Domain domain, ServerName server, Pdu invite, ObjectNode signed, RoomVersion version) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("room_version", version.id());
        body.set("event", signed);
        body.putArray("invite_room_state").addAll(reader.strippedState(domain, invite.roomId().value(), invite.sender().value()));
        JsonNode answer;
        try {
            answer = client.send(domain, server.toString(), "PUT", "/_matrix/federation/v2/invite/"
                    + enc(invite.roomId().value()) + "/" + enc(invite.eventId().value()), body);
        } catch (FederationException e) {
            throw e.toClientError();
        }
        if (!(answer.get("event") instanceof ObjectNode returned)) {
            throw MatrixException.unknown(502, "Invitee's server sent no event");
        }
        Pdu countersigned;
        try {
            countersigned = Pdu.fromJson(returned.deepCopy(), version);
        } catch (IllegalArgumentException e) {
            throw MatrixException.unknown(502, "Invitee's server sent an invalid event");
        }
        if (!countersigned.eventId().equals(invite.eventId())
                || !new PduSignatures(keys.lookup(domain)).isSignedBy(countersigned, server)
                || !new PduSignatures(keys.lookup(domain)).isSignedBy(countersigned, ServerName.parse(domain.serverName()))) {
            throw MatrixException.unknown(502, "Invitee's server did not countersign the invite");
        }
        return countersigned;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
