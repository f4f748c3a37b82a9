package de.tim.homeserver.federation.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;

/**
 * The joining side of a restricted join: the resident server's {@code make_join} template names its
 * authorising user in {@code join_authorised_via_users_server}, which the filled-in join keeps; the
 * {@code send_join} answer's {@code event} carries the resident server's signature, so that version
 * (same event id, valid signatures) is the one this server stores. {@code M_UNABLE_TO_GRANT_JOIN} and
 * {@code M_UNABLE_TO_AUTHORISE_JOIN} mean "try another resident server".
 */
final class RestrictedRemoteJoins {

    private RestrictedRemoteJoins() {
    }

    /** Copies the template's authoriser into the join's content. */
    static void keepAuthoriser(JsonNode template, ObjectNode content) {
        JsonNode authoriser = template.path("content").get(JoinAuthorisation.AUTHORISER);
        if (authoriser != null && authoriser.isTextual()) {
            content.put(JoinAuthorisation.AUTHORISER, authoriser.textValue());
        }
    }

    /** The resident's countersigned copy of our join from the {@code send_join} answer, else our own. */
    static Pdu residentSigned(JsonNode answer, Pdu join, PduVerifier verifier) {
        if (!(answer.get("event") instanceof ObjectNode event)) {
            return join;
        }
        PduVerification verification = verifier.verify(event.deepCopy(), join.roomVersion(), join.roomId());
        if (verification.outcome() != PduVerification.Outcome.ACCEPT) {
            return join;
        }
        Pdu signed = verification.pdu().orElseThrow();
        return signed.eventId().equals(join.eventId()) ? signed : join;
    }

    /** Whether a refusal of a resident server says another one might grant the join. */
    static boolean tryAnotherServer(FederationException e) {
        return MatrixErrorCodes.M_UNABLE_TO_GRANT_JOIN.equals(e.errcode())
                || MatrixErrorCodes.M_UNABLE_TO_AUTHORISE_JOIN.equals(e.errcode());
    }
}
