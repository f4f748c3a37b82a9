package de.tim.matrix.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.id.ServerName;

/** "Adding hashes and signatures to outgoing events" and the matching signature check. */
public final class EventSigning {

    private EventSigning() {
    }

    /**
     * Sets {@code hashes.sha256}, signs the redacted event and copies the signature back. Returns a new
     * object; existing signatures of other servers are kept.
     */
    public static ObjectNode hashAndSign(ObjectNode event, RoomVersion version, ServerName server, SigningKey key) {
        ObjectNode hashed = EventHashing.withContentHash(event);
        return addSignature(hashed, version, server, key);
    }

    /** Adds a signature over the redacted event without touching the hashes (e.g. a resident server co-signing a join). */
    public static ObjectNode addSignature(ObjectNode event, RoomVersion version, ServerName server, SigningKey key) {
        ObjectNode signedRedacted = JsonSigning.sign(Redaction.redact(event, version), server.toString(), key);
        ObjectNode result = event.deepCopy();
        result.set("signatures", signedRedacted.get("signatures"));
        return result;
    }

    /** Whether the redacted event carries a valid signature of {@code server} with {@code key}. */
    public static boolean isSignedBy(ObjectNode event, RoomVersion version, ServerName server, VerifyKey key) {
        return JsonSigning.verify(Redaction.redact(event, version), server.toString(), key);
    }
}
