package de.tim.matrix.auth;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Checks 4–6 of "Checks performed on receipt of a PDU", run after {@code PduVerifier} (checks 1–3):
 * the event must pass the auth rules against its auth events and against the state before it (else it
 * is rejected), and against the current state (else it is soft-failed).
 */
public final class ReceiptChecks {

    /** The decision about a received event. */
    public enum Outcome {
        /** Persist and use normally. */
        ACCEPT,
        /** Persist as rejected; never part of state, not sent to clients. */
        REJECT,
        /** Persist, but do not send to clients or use as a forward extremity. */
        SOFT_FAIL
    }

    /** The outcome with the rule that decided it. */
    public record Decision(Outcome outcome, String reason) {
    }

    private final EventAuthorizer authorizer;

    public ReceiptChecks(EventAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    /**
     * @param authEvents   the events the PDU cites in {@code auth_events}
     * @param isRejected   whether an auth event was itself rejected
     * @param stateBefore  the state before the event (resolved from its {@code prev_events})
     * @param currentState the room's current state
     */
    public Decision decide(Pdu event, List<Pdu> authEvents, Predicate<EventId> isRejected,
                           Map<StateKey, Pdu> stateBefore, Map<StateKey, Pdu> currentState) {
        AuthResult byAuthEvents = authorizer.checkAgainstAuthEvents(event, authEvents, isRejected);
        if (!byAuthEvents.allowed()) {
            return new Decision(Outcome.REJECT, "auth events: " + byAuthEvents.reason());
        }
        AuthResult byStateBefore = authorizer.check(event, stateBefore);
        if (!byStateBefore.allowed()) {
            return new Decision(Outcome.REJECT, "state before the event: " + byStateBefore.reason());
        }
        AuthResult byCurrentState = authorizer.check(event, currentState);
        if (!byCurrentState.allowed()) {
            return new Decision(Outcome.SOFT_FAIL, "current state: " + byCurrentState.reason());
        }
        return new Decision(Outcome.ACCEPT, byCurrentState.reason());
    }
}
