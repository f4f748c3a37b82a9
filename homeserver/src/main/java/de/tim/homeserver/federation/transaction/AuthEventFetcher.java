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
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.id.EventId;
import org.springframework.stereotype.Component;

/**
 * Fetches auth events this server does not know for a received PDU ("Retrieving event authorization
 * information"): first the PDU's auth chain with {@code GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}}
 * from the origin, then any still unknown auth event one by one with {@code GET /_matrix/federation/v1/event/{eventId}},
 * following their own auth events. Every fetched event passes the PDU checks (format, room, signatures,
 * hashes) and is stored as an outlier after the auth check against its own auth events
 * ({@link OutlierImport}). Bounded: at most {@value #MAX_EVENTS} events considered, {@value #MAX_SINGLE_FETCHES}
 * single fetches, {@value #MAX_DEPTH} levels of auth events, {@link #BUDGET} in all.
 */
@Component
class AuthEventFetcher {

    static final int MAX_EVENTS = 500;
    static final int MAX_SINGLE_FETCHES = 50;
    static final int MAX_DEPTH = 10;
    static final Duration BUDGET = Duration.ofSeconds(60);

    private final FederationClient client;
    private final OutlierImport outliers;

    AuthEventFetcher(FederationClient client, OutlierImport outliers) {
        this.client = client;
        this.outliers = outliers;
    }

    /** Fetches, checks and stores the unknown auth events of {@code pdu} (and theirs) from {@code origin}. */
    void fetch(Domain domain, String origin, Pdu pdu, PduVerifier verifier, EventAuthorizer authorizer) {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        String roomId = pdu.roomId().value();
        Map<String, Pdu> fetched = new HashMap<>();
        try {
            JsonNode answer = client.get(domain, origin, "/_matrix/federation/v1/event_auth/" + enc(roomId) + "/"
                    + enc(pdu.eventId().value()));
            int considered = 0;
            for (JsonNode node : answer.path("auth_chain")) {
                if (++considered > MAX_EVENTS) {
                    break;
                }
                Pdu event = verify(node, pdu, verifier);
                if (event != null) {
                    fetched.putIfAbsent(event.eventId().value(), event);
                }
            }
        } catch (FederationException e) {
            // the origin does not answer event_auth: single events below
        }
        Set<String> wanted = unknownAuthEvents(domain, List.of(pdu), fetched);
        int singles = 0;
        for (int level = 0; level < MAX_DEPTH && !wanted.isEmpty(); level++) {
            List<Pdu> found = new ArrayList<>();
            for (String id : wanted) {
                if (singles++ >= MAX_SINGLE_FETCHES || System.nanoTime() > deadline || fetched.size() >= MAX_EVENTS) {
                    break;
                }
                Pdu event = fetchOne(domain, origin, id, pdu, verifier);
                if (event != null) {
                    fetched.put(id, event);
                    found.add(event);
                }
            }
            wanted = unknownAuthEvents(domain, found, fetched);
        }
        outliers.importEvents(domain, roomId, fetched.values(), authorizer);
    }

    private Pdu fetchOne(Domain domain, String origin, String eventId, Pdu pdu, PduVerifier verifier) {
        try {
            JsonNode answer = client.get(domain, origin, "/_matrix/federation/v1/event/" + enc(eventId));
            JsonNode first = answer.path("pdus").path(0);
            Pdu event = verify(first, pdu, verifier);
            return event != null && event.eventId().value().equals(eventId) ? event : null;
        } catch (FederationException e) {
            return null;
        }
    }

    /** The auth events of {@code events} that are neither fetched nor known here. */
    private Set<String> unknownAuthEvents(Domain domain, List<Pdu> events, Map<String, Pdu> fetched) {
        Set<String> ids = new LinkedHashSet<>();
        for (Pdu event : events) {
            for (EventId id : event.authEvents()) {
                if (!fetched.containsKey(id.value())) {
                    ids.add(id.value());
                }
            }
        }
        return outliers.unknown(domain, ids);
    }

    private static Pdu verify(JsonNode node, Pdu of, PduVerifier verifier) {
        if (!(node instanceof ObjectNode json)) {
            return null;
        }
        PduVerification v = verifier.verify(json.deepCopy(), of.roomVersion(), of.roomId());
        return v.outcome() == PduVerification.Outcome.DROP ? null : v.pdu().orElseThrow();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
