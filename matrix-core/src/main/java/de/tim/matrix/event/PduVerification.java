package de.tim.matrix.event;

import java.util.Optional;

/**
 * The outcome of checks 1–3 on receipt of a PDU: accepted as is, accepted in redacted form because the
 * content hash does not match, or dropped (invalid format or signature).
 *
 * @param outcome what to do with the event
 * @param pdu     the event to process further (redacted for {@link Outcome#REDACT}); empty when dropped
 * @param reason  why it was redacted or dropped; empty when accepted
 */
public record PduVerification(Outcome outcome, Optional<Pdu> pdu, Optional<String> reason) {

    /** What to do with a received PDU. */
    public enum Outcome { ACCEPT, REDACT, DROP }

    static PduVerification accept(Pdu pdu) {
        return new PduVerification(Outcome.ACCEPT, Optional.of(pdu), Optional.empty());
    }

    static PduVerification redact(Pdu redacted, String reason) {
        return new PduVerification(Outcome.REDACT, Optional.of(redacted), Optional.of(reason));
    }

    static PduVerification drop(String reason) {
        return new PduVerification(Outcome.DROP, Optional.empty(), Optional.of(reason));
    }
}
