package de.tim.gateway.check.invite;

import de.tim.matrix.error.MatrixException;

/**
 * The outcome of a permission check: allowed, or refused with the Matrix error to answer.
 *
 * @param refusal null when allowed
 * @param reason  short machine-readable reason for metrics (no personal data)
 */
public record InviteDecision(MatrixException refusal, String reason) {

    static final InviteDecision ALLOWED = new InviteDecision(null, "allowed");

    static InviteDecision forbidden(String reason, String message) {
        return new InviteDecision(MatrixException.forbidden(message), reason);
    }

    static InviteDecision badRequest(String reason, MatrixException error) {
        return new InviteDecision(error, reason);
    }

    public boolean allowed() {
        return refusal == null;
    }
}
