package de.tim.matrix.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.id.ServerName;
import java.util.Map;
import java.util.Optional;

/** Checks whether a server validly signed an event, looking keys up through a {@link KeyLookup}. */
public final class PduSignatures {

    private final KeyLookup keys;

    public PduSignatures(KeyLookup keys) {
        this.keys = keys;
    }

    /**
     * "Checking for a Signature" on the redacted event: at least one {@code ed25519} signature of
     * {@code server} verifies with a key valid at the event's {@code origin_server_ts}.
     */
    public boolean isSignedBy(ObjectNode event, RoomVersion version, ServerName server) {
        ObjectNode redacted = Redaction.redact(event, version);
        long ts = event.path("origin_server_ts").asLong();
        Map<String, String> signatures = JsonSigning.signatures(redacted, server.toString());
        for (String keyId : signatures.keySet()) {
            if (!keyId.startsWith(SigningKey.ALGORITHM + ":")) {
                continue;
            }
            Optional<VerifyKey> key = keys.find(server, keyId, ts);
            if (key.isPresent() && key.get().keyId().equals(keyId) && JsonSigning.verify(redacted, server.toString(), key.get())) {
                return true;
            }
        }
        return false;
    }

    public boolean isSignedBy(Pdu pdu, ServerName server) {
        return isSignedBy(pdu.json(), pdu.roomVersion(), server);
    }
}
