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
 * own auth events (checked in topological order of the auth events; events with missing or failed auth
 * events fail). Returns the state events and the other auth chain events that passed, ordered by depth.
 */
final class SendJoinResponseVerifier {

    private final PduVerifier verifier;
    private final EventAuthorizer authorizer;

    SendJoinResponseVerifier(PduVerifier verifier, EventAuthorizer authorizer) {
        this.verifier = verifier;
        this.authorizer = authorizer;
    }

    /** The verified answer: the state before the join and the other events of the auth chain, both ordered by depth. */
    record Verified(List<Pdu> state, List<Pdu> authChain) {
    }

    Verified verify(JsonNode state, JsonNode authChain, RoomVersion version, RoomId roomId) {
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
        Set<EventId> decided = new HashSet<>();
        // topological: an event is checked once all its auth events are decided (depth is only a hint)
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Pdu pdu : ordered) {
                if (decided.contains(pdu.eventId()) || !decided.containsAll(pdu.authEvents())) {
                    continue;
                }
                decided.add(pdu.eventId());
                progress = true;
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
                if (complete && authorizer.checkAgainstAuthEvents(pdu, authEvents, id -> !passed.contains(id)).allowed()) {
                    passed.add(pdu.eventId());
                }
            }
        }
        return new Verified(ordered.stream().filter(p -> stateIds.contains(p.eventId()) && passed.contains(p.eventId())).toList(),
                ordered.stream().filter(p -> !stateIds.contains(p.eventId()) && passed.contains(p.eventId())).toList());
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
