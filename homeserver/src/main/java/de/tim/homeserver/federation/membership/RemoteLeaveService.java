package de.tim.homeserver.federation.membership;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RemoteInviteStore;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Rejecting an invite to a room this server is not in, or retracting a knock on such a room ("Leaving
 * Rooms (Rejecting Invites)"):
 * {@code make_leave} at the inviting server (or the room's), check, fill in and sign the template
 * ({@link MembershipHandshake}, as for joins and knocks), {@code send_leave} v2, and the leave
 * becomes the user's membership here. If no resident server can be reached, the invite is rejected
 * locally only (the leave is stored but never delivered).
 */
@Service
public class RemoteLeaveService {

    private static final Logger log = LoggerFactory.getLogger(RemoteLeaveService.class);

    private final FederationClient client;
    private final FederationRoomReader reader;
    private final RemoteInviteStore store;
    private final MembershipHandshake handshake;

    RemoteLeaveService(FederationClient client, FederationRoomReader reader, RemoteInviteStore store,
            MembershipHandshake handshake) {
        this.client = client;
        this.reader = reader;
        this.store = store;
        this.handshake = handshake;
    }

    /**
     * The pending remote invite (or knock) of the user, if the room is one this server is not in; in a room this
     * server knows but every local user has left (stale copy), an invite from another server.
     */
    public Optional<StoredEvent> remoteInvite(Domain domain, String roomId, String userId) {
        if (!RoomId.isValid(roomId)) {
            return Optional.empty();
        }
        boolean staleCopy = reader.isResident(domain, roomId);
        if (staleCopy && reader.isInRoom(domain, roomId, ServerName.parse(domain.serverName()))) {
            return Optional.empty();
        }
        return reader.membership(domain, roomId, userId).filter(e -> e.pdu().membership()
                .filter(m -> EventTypes.INVITE.equals(m) || EventTypes.KNOCK.equals(m)).isPresent())
                .filter(e -> !staleCopy || (EventTypes.INVITE.equals(e.pdu().membership().orElse(""))
                        && !e.pdu().sender().domain().toString().equals(domain.serverName())));
    }

    public void rejectInvite(Requester requester, StoredEvent invite, String reason) {
        Domain domain = requester.domain();
        String roomId = invite.roomId();
        Set<String> servers = new LinkedHashSet<>();
        servers.add(invite.pdu().sender().domain().toString());
        servers.add(RoomId.parse(roomId).domain().toString());
        servers.remove(domain.serverName());
        for (String server : servers) {
            try {
                MembershipHandshake.Signed leave = handshake.make(domain, server, roomId, requester.userId(), EventTypes.LEAVE,
                        reason, v -> true, (template, content) -> { });
                client.send(domain, server, "PUT", "/_matrix/federation/v2/send_leave/" + enc(roomId) + "/"
                        + enc(leave.pdu().eventId().value()), leave.json());
                store.storeMembership(domain, leave.pdu());
                return;
            } catch (FederationException e) {
                log.info("Rejecting an invite via a resident server failed: {}", e.getMessage());
                if (!e.isUnavailable()) {
                    throw e.toClientError();
                }
            }
        }
        // nobody reachable: reject locally
        ObjectNode local = JsonNodeFactory.instance.objectNode();
        local.put("room_id", roomId).put("sender", requester.userId()).put("type", EventTypes.MEMBER)
                .put("state_key", requester.userId()).put("depth", invite.pdu().depth() + 1);
        local.putArray("prev_events").add(invite.eventId());
        local.putArray("auth_events").add(invite.eventId());
        store.storeMembership(domain, signLocal(domain, local, invite.pdu().roomVersion(), reason));
    }

    /** The leave of a local-only rejection (no resident server answered, so there is no template). */
    private static Pdu signLocal(Domain domain, ObjectNode event, RoomVersion version, String reason) {
        ObjectNode content = event.putObject("content").put("membership", EventTypes.LEAVE);
        if (reason != null) {
            content.put("reason", reason);
        }
        event.put("origin_server_ts", System.currentTimeMillis());
        ObjectNode signed = EventSigning.hashAndSign(event, version, ServerName.parse(domain.serverName()), domain.signingKey());
        return Pdu.fromJson(signed, version);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
