package de.tim.matrix.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.id.RoomId;

/**
 * Checks 1–3 of "Checks performed on receipt of a PDU": valid format for the room version (else drop),
 * signature of the sender's server (else drop), content hash (else continue with the redacted event).
 * Authorization (checks 4–6) is {@code de.tim.matrix.auth.EventAuthorizer}'s job.
 *
 * <p>As the spec allows, an invite created from a third-party invite is not required to carry the
 * sender's server's signature (another server may send it); auth rule 4.4.1 checks its
 * {@code signed} block instead. The signature of a restricted join's authorising server is checked
 * by auth rule 4.2.
 */
public final class PduVerifier {

    private final PduSignatures signatures;

    public PduVerifier(KeyLookup keys) {
        this.signatures = new PduSignatures(keys);
    }

    public PduVerification verify(ObjectNode received, RoomVersion version) {
        Pdu pdu;
        try {
            pdu = Pdu.fromJson(received, version);
        } catch (IllegalArgumentException e) {
            return PduVerification.drop("Invalid event format: " + e.getMessage());
        }
        if (!isThirdPartyInvite(pdu)) {
            var senderServer = pdu.sender().domain();
            if (!signatures.isSignedBy(pdu, senderServer)) {
                return PduVerification.drop("Missing or invalid signature of the sender's server " + senderServer);
            }
        }
        if (!EventHashing.hasValidContentHash(pdu.json())) {
            return PduVerification.redact(pdu.redacted(), "Content hash mismatch");
        }
        return PduVerification.accept(pdu);
    }

    /** Also checks that the PDU belongs to {@code expectedRoom} (e.g. the room of a {@code /send_join}). */
    public PduVerification verify(ObjectNode received, RoomVersion version, RoomId expectedRoom) {
        JsonNode roomId = received.get("room_id");
        if (roomId == null || !expectedRoom.value().equals(roomId.asText())) {
            return PduVerification.drop("Event is not in room " + expectedRoom);
        }
        return verify(received, version);
    }

    static boolean isThirdPartyInvite(Pdu pdu) {
        return EventTypes.MEMBER.equals(pdu.type()) && pdu.membership().filter(EventTypes.INVITE::equals).isPresent()
                && pdu.content().has("third_party_invite");
    }
}
