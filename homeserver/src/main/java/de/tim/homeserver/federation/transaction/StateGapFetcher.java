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
 * fetches, {@link #BUDGET} in all. {@link #stateBefore} also serves {@link Backfiller} (the state before the oldest
 * events of a backfilled batch).
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
        Budget budget = new Budget();
        for (String prevId : missingPrev) {
            Pdu prev = fetchOne(domain, origin, prevId, pdu, verifier, budget);
            if (prev == null) {
                return false;
            }
            List<String> stateIds = stateBefore(domain, origin, prev, verifier, authorizer, budget);
            if (stateIds == null || !prevState.importStateAt(domain, prev, stateIds, authorizer)) {
                return false;
            }
        }
        return true;
    }

    /** Limits of one run: single fetches and time. */
    static final class Budget {
        private final long deadline = System.nanoTime() + BUDGET.toNanos();
        private int fetches;

        boolean take() {
            return fetches++ < MAX_FETCHES && System.nanoTime() <= deadline;
        }
    }

    /**
     * The ids of the room state before {@code event} as {@code origin} names them ({@code state_ids}), with every
     * state and auth chain event not known here fetched, checked and stored as an outlier; null if that fails.
     */
    List<String> stateBefore(Domain domain, String origin, Pdu event, PduVerifier verifier, EventAuthorizer authorizer,
            Budget budget) {
        JsonNode answer;
        try {
            answer = client.get(domain, origin, "/_matrix/federation/v1/state_ids/" + enc(event.roomId().value())
                    + "?event_id=" + enc(event.eventId().value()));
        } catch (FederationException e) {
            return null;
        }
        List<String> stateIds = ids(answer.path("pdu_ids"));
        List<String> chainIds = ids(answer.path("auth_chain_ids"));
        if (stateIds == null || chainIds == null) {
            return null;
        }
        Set<String> wanted = new LinkedHashSet<>(stateIds);
        wanted.addAll(chainIds);
        event.authEvents().forEach(id -> wanted.add(id.value()));
        Map<String, Pdu> fetched = new HashMap<>();
        for (String id : outliers.unknown(domain, wanted)) {
            Pdu fetchedEvent = fetchOne(domain, origin, id, event, verifier, budget);
            if (fetchedEvent == null) {
                return null;
            }
            fetched.put(id, fetchedEvent);
        }
        // auth events the auth chain answer did not name (a sloppy remote): one more level
        Set<String> more = new LinkedHashSet<>();
        for (Pdu e : fetched.values()) {
            for (EventId id : e.authEvents()) {
                if (!fetched.containsKey(id.value())) {
                    more.add(id.value());
                }
            }
        }
        for (String id : outliers.unknown(domain, more)) {
            Pdu e = fetchOne(domain, origin, id, event, verifier, budget);
            if (e != null) {
                fetched.put(id, e);
            }
        }
        outliers.importEvents(domain, event.roomId().value(), new ArrayList<>(fetched.values()), authorizer);
        return stateIds;
    }

    private Pdu fetchOne(Domain domain, String origin, String eventId, Pdu of, PduVerifier verifier, Budget budget) {
        if (!budget.take()) {
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
