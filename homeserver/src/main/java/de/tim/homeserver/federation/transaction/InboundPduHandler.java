package de.tim.homeserver.federation.transaction;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.access.RoomAccess;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.federation.membership.OutOfBandMembershipReceiver;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomId;
import org.springframework.stereotype.Component;

/**
 * One PDU of an inbound transaction through the receipt checks: known room, server ACL, format,
 * signature of the sender's server, content hash (redacted on mismatch), then auth and persistence by
 * {@link RemoteEventPersister}. When its {@code prev_events} are not known here, the missing events are
 * fetched from the origin with {@code get_missing_events} (up to the room's current head; paging back while
 * the gap stays open, {@link MissingEventsFetcher}), checked the same way, and the PDU is tried
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

    private static final int MAX_GAP_FILLS = 3;

    private final FederationRoomReader reader;
    private final RoomAccess access;
    private final EventAuthorizers authorizers;
    private final RemoteEventPersister persister;
    private final AuthEventFetcher authFetcher;
    private final StateGapFetcher gapFetcher;
    private final MissingEventsFetcher missingEvents;
    private final OutOfBandMembershipReceiver outOfBand;

    InboundPduHandler(FederationRoomReader reader, RoomAccess access, EventAuthorizers authorizers,
            RemoteEventPersister persister, AuthEventFetcher authFetcher, StateGapFetcher gapFetcher,
            MissingEventsFetcher missingEvents, OutOfBandMembershipReceiver outOfBand) {
        this.missingEvents = missingEvents;
        this.outOfBand = outOfBand;
        this.authFetcher = authFetcher;
        this.gapFetcher = gapFetcher;
        this.reader = reader;
        this.access = access;
        this.authorizers = authorizers;
        this.persister = persister;
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

    /** The events between our head and the PDU ({@link MissingEventsFetcher}), persisted oldest first. */
    private void fetchMissing(Domain domain, FederationOrigin origin, Pdu pdu, PduVerifier verifier, EventAuthorizer authorizer,
            int[] gapFills) {
        List<Pdu> missing = missingEvents.fetch(domain, origin.name(), pdu.roomVersion(), pdu.roomId(),
                reader.extremities(domain, pdu.roomId().value()), List.of(pdu.eventId().value()));
        for (Pdu event : missing) {
            // oldest first: the first whose prev events are beyond the answers closes the gap, the others follow it
            persistFillingGap(domain, origin, event, verifier, authorizer, gapFills);
        }
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
