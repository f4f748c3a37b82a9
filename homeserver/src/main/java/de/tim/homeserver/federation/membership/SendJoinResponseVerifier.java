package de.tim.homeserver.federation.membership;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.auth.AuthResult;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;

/**
 * Checks the {@code state} and {@code auth_chain} of a {@code send_join} answer as the spec demands
 * before the joining server trusts them: every PDU passes the receipt checks (format, signature of the
 * sender's server, content hash — mismatches are redacted), belongs to the room, and is allowed by its
 * own auth events (checked oldest first; events with missing or failed auth events fail). Returns the
 * state events that passed, ordered by depth.
 */
final class SendJoinResponseVerifier {

    private final PduVerifier verifier;
    private final EventAuthorizer authorizer;

    SendJoinResponseVerifier(PduVerifier verifier, EventAuthorizer authorizer) {
        this.verifier = verifier;
        this.authorizer = authorizer;
    }

    List<Pdu> verifiedState(JsonNode state, JsonNode authChain, RoomVersion version, RoomId roomId) {
        Map<EventId, Pdu> all = new HashMap<>();
        Set<EventId> stateIds = new HashSet<>();
        for (JsonNode node : iterable(authChain)) {
            verify(node, version, roomId, all);
        }
        for (JsonNode node : iterable(state)) {
            Pdu pdu = verify(node, version, roomId, all);
            if (pdu != null && pdu.isState()) {
                stateIds.add(pdu.eventId());
            }
        }
        List<Pdu> ordered = new ArrayList<>(all.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth));
        Set<EventId> passed = new HashSet<>();
        for (Pdu pdu : ordered) {
            List<Pdu> authEvents = new ArrayList<>();
            boolean complete = true;
            for (EventId id : pdu.authEvents()) {
                Pdu auth = all.get(id);
                if (auth == null || !passed.contains(id)) {
                    complete = false;
                    break;
                }
                authEvents.add(auth);
            }
            if (!complete) {
                continue;
            }
            AuthResult result = authorizer.checkAgainstAuthEvents(pdu, authEvents, id -> !passed.contains(id));
            if (result.allowed()) {
                passed.add(pdu.eventId());
            }
        }
        return ordered.stream().filter(p -> stateIds.contains(p.eventId()) && passed.contains(p.eventId())).toList();
    }

    private Pdu verify(JsonNode node, RoomVersion version, RoomId roomId, Map<EventId, Pdu> into) {
        if (!(node instanceof ObjectNode json)) {
            return null;
        }
        PduVerification verification = verifier.verify(json.deepCopy(), version, roomId);
        if (verification.outcome() == PduVerification.Outcome.DROP) {
            return null;
        }
        Pdu pdu = verification.pdu().orElseThrow();
        into.putIfAbsent(pdu.eventId(), pdu);
        return pdu;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }
}
