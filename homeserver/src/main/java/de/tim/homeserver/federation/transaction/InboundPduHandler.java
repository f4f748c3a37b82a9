package de.tim.homeserver.federation.transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.access.RoomAccess;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.federation.membership.OutOfBandMembershipReceiver;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.OutlierImport;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import org.springframework.stereotype.Component;

/**
 * One PDU of an inbound transaction through the receipt checks: known room, server ACL, format,
 * signature of the sender's server, content hash (redacted on mismatch), then auth and persistence by
 * {@link RemoteEventPersister}. When its {@code prev_events} are not known here, the missing events are
 * fetched from the origin with {@code get_missing_events} (up to the room's current head; paging back while
 * the gap stays open, at most {@value #MAX_MISSING_PAGES} requests), checked the same way, and the PDU is tried
 * again. A leave or ban of a local user with an outstanding invite or knock in a room this server is not in goes
 * to {@link OutOfBandMembershipReceiver} instead; other PDUs of such rooms are refused (stale copies every local
 * user left take the usual way). Unknown auth events (of the PDU or of a missing event) are fetched by
 * {@link AuthEventFetcher} before the auth checks; if they stay unknown, the PDU fails. Prev
 * events that {@code get_missing_events} did not bring (a long gap) get their state from the origin's
 * {@code state_ids} ({@link StateGapFetcher}), which becomes the state before the oldest fetched event (or
 * the PDU); the fetched events and the PDU follow on it.
 * Returns null when accepted, else the error for the answer.
 */
@Component
class InboundPduHandler {

    private static final int MISSING_LIMIT = 20;
    static final int MAX_MISSING_PAGES = 10;
    static final java.time.Duration MISSING_BUDGET = java.time.Duration.ofSeconds(30);
    private static final int MAX_GAP_FILLS = 3;

    private final FederationRoomReader reader;
    private final RoomAccess access;
    private final EventAuthorizers authorizers;
    private final RemoteEventPersister persister;
    private final FederationClient client;
    private final AuthEventFetcher authFetcher;
    private final StateGapFetcher gapFetcher;
    private final OutlierImport outliers;
    private final OutOfBandMembershipReceiver outOfBand;

    InboundPduHandler(FederationRoomReader reader, RoomAccess access, EventAuthorizers authorizers,
            RemoteEventPersister persister, FederationClient client, AuthEventFetcher authFetcher, StateGapFetcher gapFetcher,
            OutlierImport outliers, OutOfBandMembershipReceiver outOfBand) {
        this.outliers = outliers;
        this.outOfBand = outOfBand;
        this.authFetcher = authFetcher;
        this.gapFetcher = gapFetcher;
        this.reader = reader;
        this.access = access;
        this.authorizers = authorizers;
        this.persister = persister;
        this.client = client;
    }

    /** The event id the PDU claims (for the answer), or null if it cannot be computed. */
    String handle(Domain domain, FederationOrigin origin, ObjectNode json, ResultSink results) {
        String roomId = json.path("room_id").asText(null);
        if (roomId == null || !RoomId.isValid(roomId)) {
            return null;
        }
        OutOfBandMembershipReceiver.Outcome membership = outOfBand.receive(domain, origin, json).orElse(null);
        if (membership != null) {
            if (membership.accepted()) {
                results.ok(membership.eventId());
            } else if (membership.eventId() != null) {
                results.error(membership.eventId(), membership.error());
            }
            return membership.eventId();
        }
        RoomVersion version = reader.roomVersion(domain, roomId).flatMap(RoomVersion::fromId).orElse(null);
        String eventId = eventId(json, version);
        if (eventId == null) {
            return null;
        }
        if (version == null || !reader.isResident(domain, roomId)) {
            // unknown, or known only by a local user's invite or knock (no state here)
            results.error(eventId, "Room unknown to this server");
            return eventId;
        }
        try {
            access.requireAclAllows(domain, origin, roomId);
        } catch (MatrixException e) {
            results.error(eventId, "Denied by the room's server ACL");
            return eventId;
        }
        PduVerifier verifier = authorizers.verifier(domain);
        EventAuthorizer authorizer = authorizers.authorizer(domain);
        PduVerification verification = verifier.verify(json.deepCopy(), version, RoomId.parse(roomId));
        if (verification.outcome() == PduVerification.Outcome.DROP) {
            results.error(eventId, verification.reason().orElse("invalid event"));
            return eventId;
        }
        Pdu pdu = verification.pdu().orElseThrow();
        RemoteEventPersister.Result result = persistFetchingAuth(domain, origin, pdu, verifier, authorizer);
        if (missingPrev(result) || result.outcome() == RemoteEventPersister.Outcome.NOT_AT_HEAD) {
            int[] gapFills = {MAX_GAP_FILLS};
            fetchMissing(domain, origin, pdu, verifier, authorizer, gapFills);
            result = persistFillingGap(domain, origin, pdu, verifier, authorizer, gapFills);
        }
        switch (result.outcome()) {
            case PERSISTED, DUPLICATE, SOFT_FAILED -> results.ok(eventId);
            default -> results.error(eventId, result.reason());
        }
        return eventId;
    }

    private static boolean missingPrev(RemoteEventPersister.Result result) {
        return result.outcome() == RemoteEventPersister.Outcome.MISSING_EVENTS && !result.missingPrevEvents().isEmpty();
    }

    /**
     * {@link #persistFetchingAuth}; if prev events are still unknown (a gap {@code get_missing_events} did not
     * close), their state comes from the origin's {@code state_ids} ({@link StateGapFetcher}, at most
     * {@value #MAX_GAP_FILLS} times per received PDU) and the event is tried on it.
     */
    private RemoteEventPersister.Result persistFillingGap(Domain domain, FederationOrigin origin, Pdu pdu,
            PduVerifier verifier, EventAuthorizer authorizer, int[] gapFills) {
        RemoteEventPersister.Result result = persistFetchingAuth(domain, origin, pdu, verifier, authorizer);
        if (missingPrev(result) && gapFills[0]-- > 0
                && gapFetcher.fill(domain, origin.name(), pdu, result.missingPrevEvents(), verifier, authorizer)) {
            result = persistFetchingAuth(domain, origin, pdu, verifier, authorizer);
        }
        return result;
    }

    /** Persists the PDU; if auth events are unknown, fetches them from the origin first ({@link AuthEventFetcher}). */
    private RemoteEventPersister.Result persistFetchingAuth(Domain domain, FederationOrigin origin, Pdu pdu,
            PduVerifier verifier, EventAuthorizer authorizer) {
        RemoteEventPersister.Result result = persister.persist(domain, pdu, authorizer);
        if (result.outcome() == RemoteEventPersister.Outcome.MISSING_EVENTS && !result.missingAuthEvents().isEmpty()) {
            authFetcher.fetch(domain, origin.name(), pdu, verifier, authorizer);
            result = persister.persist(domain, pdu, authorizer);
            if (result.outcome() == RemoteEventPersister.Outcome.MISSING_EVENTS && !result.missingAuthEvents().isEmpty()) {
                return new RemoteEventPersister.Result(result.outcome(), null, "auth events unavailable",
                        result.missingAuthEvents(), List.of());
            }
        }
        return result;
    }

    /**
     * Pages back with {@code get_missing_events} (each answer's oldest events become the next {@code latest_events})
     * until the gap to our head closes, at most {@value #MAX_MISSING_PAGES} requests within {@link #MISSING_BUDGET},
     * then persists what came, oldest first.
     */
    private void fetchMissing(Domain domain, FederationOrigin origin, Pdu pdu, PduVerifier verifier, EventAuthorizer authorizer,
            int[] gapFills) {
        String path = "/_matrix/federation/v1/get_missing_events/"
                + java.net.URLEncoder.encode(pdu.roomId().value(), java.nio.charset.StandardCharsets.UTF_8);
        List<String> earliest = reader.extremities(domain, pdu.roomId().value());
        Map<String, Pdu> missing = new HashMap<>();
        List<String> latest = List.of(pdu.eventId().value());
        long deadline = System.nanoTime() + MISSING_BUDGET.toNanos();
        for (int page = 0; page < MAX_MISSING_PAGES && !latest.isEmpty() && System.nanoTime() < deadline; page++) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            earliest.forEach(body.putArray("earliest_events")::add);
            latest.forEach(body.putArray("latest_events")::add);
            body.put("limit", MISSING_LIMIT);
            body.put("min_depth", 0);
            JsonNode answer;
            try {
                answer = client.send(domain, origin.name(), "POST", path, body);
            } catch (FederationException e) {
                break;
            }
            int before = missing.size();
            for (JsonNode node : answer.path("events")) {
                if (node instanceof ObjectNode json) {
                    PduVerification v = verifier.verify(json.deepCopy(), pdu.roomVersion(), pdu.roomId());
                    if (v.outcome() != PduVerification.Outcome.DROP) {
                        Pdu event = v.pdu().orElseThrow();
                        missing.putIfAbsent(event.eventId().value(), event);
                    }
                }
            }
            if (missing.size() == before) {
                break;
            }
            latest = stillOpen(domain, pdu, missing);
        }
        List<Pdu> oldestFirst = new ArrayList<>(missing.values());
        oldestFirst.sort((a, b) -> Long.compare(a.depth(), b.depth()));
        for (Pdu event : oldestFirst) {
            // oldest first: the first whose prev events are beyond the answers closes the gap, the others follow it
            persistFillingGap(domain, origin, event, verifier, authorizer, gapFills);
        }
    }

    /** The fetched events (or the PDU) with prev events neither fetched nor known here: where the gap still is. */
    private List<String> stillOpen(Domain domain, Pdu pdu, Map<String, Pdu> fetched) {
        List<Pdu> candidates = new ArrayList<>(fetched.values());
        candidates.add(pdu);
        Set<String> unknownPrev = new HashSet<>();
        for (Pdu event : candidates) {
            for (EventId prev : event.prevEvents()) {
                if (!fetched.containsKey(prev.value()) && !prev.equals(pdu.eventId())) {
                    unknownPrev.add(prev.value());
                }
            }
        }
        Set<String> unknown = outliers.unknown(domain, unknownPrev);
        List<String> open = new ArrayList<>();
        for (Pdu event : candidates) {
            if (event.prevEvents().stream().anyMatch(p -> unknown.contains(p.value()))) {
                open.add(event.eventId().value());
            }
        }
        return open;
    }

    private static String eventId(ObjectNode json, RoomVersion version) {
        ObjectNode copy = json.deepCopy();
        if (!copy.path("signatures").isObject()) {
            copy.putObject("signatures"); // the reference hash does not cover signatures
        }
        try {
            return Pdu.fromJson(copy, version == null ? RoomVersion.V10 : version).eventId().value();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Collects the per-PDU answers. */
    interface ResultSink {
        void ok(String eventId);

        void error(String eventId, String error);
    }
}
