package de.tim.homeserver.federation.transaction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.OutlierImport;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import org.springframework.stereotype.Component;

/**
 * The events between this server's head of a room and events another server has ({@code POST
 * /_matrix/federation/v1/get_missing_events/{roomId}}), paging back while the gap stays open: the oldest events
 * of the answers whose prev events are still unknown become the next {@code latest_events}, at most
 * {@value #MAX_PAGES} requests of {@value #PAGE_LIMIT} within {@link #BUDGET}. Each event passes the PDU checks
 * (format, room, signatures; redacted on a hash mismatch); the result is oldest first, not yet stored.
 */
@Component
public class MissingEventsFetcher {

    static final int PAGE_LIMIT = 20;
    static final int MAX_PAGES = 10;
    static final Duration BUDGET = Duration.ofSeconds(30);

    private final FederationClient client;
    private final EventAuthorizers authorizers;
    private final OutlierImport outliers;

    MissingEventsFetcher(FederationClient client, EventAuthorizers authorizers, OutlierImport outliers) {
        this.client = client;
        this.authorizers = authorizers;
        this.outliers = outliers;
    }

    /**
     * @param earliest this server's forward extremities of the room (where the walk stops)
     * @param latest   the events to walk back from (known to {@code server}; not part of the result)
     */
    public List<Pdu> fetch(Domain domain, String server, RoomVersion version, RoomId roomId, List<String> earliest,
            List<String> latest) {
        PduVerifier verifier = authorizers.verifier(domain);
        String path = "/_matrix/federation/v1/get_missing_events/"
                + URLEncoder.encode(roomId.value(), StandardCharsets.UTF_8).replace("+", "%20");
        Map<String, Pdu> missing = new LinkedHashMap<>();
        Set<String> from = new HashSet<>(latest);
        List<String> walkFrom = latest;
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int page = 0; page < MAX_PAGES && !walkFrom.isEmpty() && System.nanoTime() < deadline; page++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            earliest.forEach(body.putArray("earliest_events")::add);
            walkFrom.forEach(body.putArray("latest_events")::add);
            body.put("limit", PAGE_LIMIT);
            body.put("min_depth", 0);
            JsonNode answer;
            try {
                answer = client.send(domain, server, "POST", path, body);
            } catch (FederationException e) {
                break;
            }
            int before = missing.size();
            for (JsonNode node : answer.path("events")) {
                if (node instanceof ObjectNode json) {
                    PduVerification v = verifier.verify(json.deepCopy(), version, roomId);
                    if (v.outcome() != PduVerification.Outcome.DROP) {
                        Pdu event = v.pdu().orElseThrow();
                        if (!from.contains(event.eventId().value())) {
                            missing.putIfAbsent(event.eventId().value(), event);
                        }
                    }
                }
            }
            if (missing.size() == before) {
                break;
            }
            walkFrom = stillOpen(domain, missing, from);
        }
        List<Pdu> oldestFirst = new ArrayList<>(missing.values());
        oldestFirst.sort((a, b) -> Long.compare(a.depth(), b.depth()));
        return oldestFirst;
    }

    /** The fetched events with prev events neither fetched nor known here: where the gap still is. */
    private List<String> stillOpen(Domain domain, Map<String, Pdu> fetched, Set<String> from) {
        Set<String> unknownPrev = new HashSet<>();
        for (Pdu event : fetched.values()) {
            for (EventId prev : event.prevEvents()) {
                if (!fetched.containsKey(prev.value()) && !from.contains(prev.value())) {
                    unknownPrev.add(prev.value());
                }
            }
        }
        Set<String> unknown = outliers.unknown(domain, unknownPrev);
        List<String> open = new ArrayList<>();
        for (Pdu event : fetched.values()) {
            if (event.prevEvents().stream().anyMatch(p -> unknown.contains(p.value()))) {
                open.add(event.eventId().value());
            }
        }
        return open;
    }
}
