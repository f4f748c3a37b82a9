package de.tim.homeserver.federation.transaction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.room.OutlierImport;
import de.tim.homeserver.room.PrevStateImport;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.id.EventId;
import org.springframework.stereotype.Component;

/**
 * Long gaps: when {@code get_missing_events} cannot reach a received PDU's prev events, the state at each
 * unknown prev event is asked from the origin with {@code GET /_matrix/federation/v1/state_ids/{roomId}?event_id=}
 * (state before it and the auth chain, as ids); the prev event itself and every id not known here are
 * fetched with {@code /event/{eventId}}, pass the PDU checks (format, room, signatures, hashes) and are
 * stored as outliers after the auth check against their own auth events; then the prev event is known with
 * the state after it ({@link PrevStateImport}) and the PDU can be authorised on it. Bounded: at most
 * {@value #MAX_PREV_EVENTS} prev events, {@value #MAX_IDS} ids per answer, {@value #MAX_FETCHES} single
 * fetches, {@link #BUDGET} in all.
 */
@Component
class StateGapFetcher {

    static final int MAX_PREV_EVENTS = 5;
    static final int MAX_IDS = 1000;
    static final int MAX_FETCHES = 200;
    static final Duration BUDGET = Duration.ofSeconds(60);

    private final FederationClient client;
    private final OutlierImport outliers;
    private final PrevStateImport prevState;

    StateGapFetcher(FederationClient client, OutlierImport outliers, PrevStateImport prevState) {
        this.client = client;
        this.outliers = outliers;
        this.prevState = prevState;
    }

    /** Learns the state at the unknown prev events of {@code pdu}; false if any of them stays unknown. */
    boolean fill(Domain domain, String origin, Pdu pdu, List<String> missingPrev, PduVerifier verifier, EventAuthorizer authorizer) {
        if (missingPrev.size() > MAX_PREV_EVENTS) {
            return false;
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int[] fetches = {0};
        for (String prevId : missingPrev) {
            Pdu prev = fetchOne(domain, origin, prevId, pdu, verifier, fetches, deadline);
            if (prev == null) {
                return false;
            }
            JsonNode answer;
            try {
                answer = client.get(domain, origin, "/_matrix/federation/v1/state_ids/" + enc(pdu.roomId().value())
                        + "?event_id=" + enc(prevId));
            } catch (FederationException e) {
                return false;
            }
            List<String> stateIds = ids(answer.path("pdu_ids"));
            List<String> chainIds = ids(answer.path("auth_chain_ids"));
            if (stateIds == null || chainIds == null) {
                return false;
            }
            Set<String> wanted = new LinkedHashSet<>(stateIds);
            wanted.addAll(chainIds);
            prev.authEvents().forEach(id -> wanted.add(id.value()));
            Map<String, Pdu> fetched = new HashMap<>();
            for (String id : outliers.unknown(domain, wanted)) {
                Pdu event = fetchOne(domain, origin, id, pdu, verifier, fetches, deadline);
                if (event == null) {
                    return false;
                }
                fetched.put(id, event);
            }
            // auth events the auth chain answer did not name (a sloppy remote): one more level
            Set<String> more = new LinkedHashSet<>();
            for (Pdu event : fetched.values()) {
                for (EventId id : event.authEvents()) {
                    if (!fetched.containsKey(id.value())) {
                        more.add(id.value());
                    }
                }
            }
            for (String id : outliers.unknown(domain, more)) {
                Pdu event = fetchOne(domain, origin, id, pdu, verifier, fetches, deadline);
                if (event != null) {
                    fetched.put(id, event);
                }
            }
            outliers.importEvents(domain, pdu.roomId().value(), new ArrayList<>(fetched.values()), authorizer);
            if (!prevState.importStateAt(domain, prev, stateIds, authorizer)) {
                return false;
            }
        }
        return true;
    }

    private Pdu fetchOne(Domain domain, String origin, String eventId, Pdu of, PduVerifier verifier, int[] fetches,
            long deadline) {
        if (fetches[0]++ >= MAX_FETCHES || System.nanoTime() > deadline) {
            return null;
        }
        try {
            JsonNode answer = client.get(domain, origin, "/_matrix/federation/v1/event/" + enc(eventId));
            if (!(answer.path("pdus").path(0) instanceof ObjectNode json)) {
                return null;
            }
            PduVerification v = verifier.verify(json.deepCopy(), of.roomVersion(), of.roomId());
            if (v.outcome() == PduVerification.Outcome.DROP) {
                return null;
            }
            Pdu event = v.pdu().orElseThrow();
            return event.eventId().value().equals(eventId) ? event : null;
        } catch (FederationException e) {
            return null;
        }
    }

    /** The ids of a JSON array of strings (at most {@value #MAX_IDS}); null if it is not one. */
    private static List<String> ids(JsonNode array) {
        if (!array.isArray() || array.size() > MAX_IDS) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : array) {
            if (!id.isTextual()) {
                return null;
            }
            ids.add(id.textValue());
        }
        return ids;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
