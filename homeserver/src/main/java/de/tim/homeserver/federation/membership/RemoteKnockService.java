package de.tim.homeserver.federation.membership;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.RemoteInviteStore;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.RoomVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The knocking side of "Knocking upon a room": a local user knocks on a room this server is not in.
 * With the first candidate resident server that answers: {@code make_knock} with our room versions, fill
 * in and sign the template, {@code send_knock} (v1); the knock is stored as the user's membership outside
 * the room's graph together with the {@code knock_room_state} the resident sent, so the knocker's
 * {@code /sync} lists the room under {@code rooms.knock} with that stripped state. An invite from the room
 * later means the knock was accepted (it replaces the membership, see {@link InviteReceiver}); the knocker
 * retracts with {@code /leave} ({@link RemoteLeaveService}).
 */
@Service
public class RemoteKnockService {

    private static final Logger log = LoggerFactory.getLogger(RemoteKnockService.class);
    private static final int MAX_STRIPPED = 50;

    private final FederationClient client;
    private final RemoteInviteStore store;
    private final EventAuthorizers authorizers;
    private final MembershipHandshake handshake;

    RemoteKnockService(FederationClient client, RemoteInviteStore store, EventAuthorizers authorizers,
            MembershipHandshake handshake) {
        this.client = client;
        this.store = store;
        this.authorizers = authorizers;
        this.handshake = handshake;
    }

    /** Knocks through the first resident server that answers; returns the room id. */
    public String knock(Requester requester, RemoteJoinService.Target target, String reason) {
        MatrixException last = MatrixException.unknown(502, "No resident server could be reached");
        for (String server : target.servers()) {
            try {
                return knockVia(requester.domain(), requester.userId(), target.roomId(), server, reason);
            } catch (FederationException e) {
                log.info("Knock over federation via a resident server failed: {}", e.getMessage());
                if (!e.isUnavailable()) {
                    throw e.toClientError();
                }
                last = e.toClientError();
            }
        }
        throw last;
    }

    private String knockVia(Domain domain, String userId, String roomId, String server, String reason) {
        MembershipHandshake.Signed made = handshake.make(domain, server, roomId, userId, EventTypes.KNOCK, reason,
                RoomVersion::supportsKnocking, (template, content) -> { });
        RoomVersion version = made.version();
        ObjectNode signed = made.json();
        Pdu knock = made.pdu();
        // our own signature and hash, checked like any PDU before it is stored
        PduVerification own = authorizers.verifier(domain).verify(signed.deepCopy(), version, knock.roomId());
        if (own.outcome() != PduVerification.Outcome.ACCEPT) {
            throw MatrixException.unknown(502, "Resident server sent an invalid knock template");
        }
        JsonNode answer = client.send(domain, server, "PUT", "/_matrix/federation/v1/send_knock/" + enc(roomId) + "/"
                + enc(knock.eventId().value()), signed);
        store.storeInvite(domain, knock, stripped(answer.path("knock_room_state")));
        return roomId;
    }

    /** The stripped state events of the answer (type, state_key, sender, content), at most 50. */
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
                    && o.path("sender").isTextual() && o.path("content").isObject()
                    && !EventTypes.MEMBER.equals(o.path("type").textValue())) {
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

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
