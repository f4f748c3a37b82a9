package de.tim.matrix.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.UnpaddedBase64;
import de.tim.matrix.id.EventId;
import de.tim.matrix.json.CanonicalJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Content hash, reference hash and the v4+ event ID ("Signing Events" in the S-S API). */
public final class EventHashing {

    private EventHashing() {
    }

    /** SHA-256 over the canonical JSON of the event without {@code unsigned}, {@code signatures}, {@code hashes}. */
    public static byte[] contentHash(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("unsigned");
        copy.remove("signatures");
        copy.remove("hashes");
        return sha256(CanonicalJson.encode(copy));
    }

    /** Returns a copy of the event with {@code hashes.sha256} set to its content hash. */
    public static ObjectNode withContentHash(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.putObject("hashes").put("sha256", UnpaddedBase64.encode(contentHash(event)));
        return copy;
    }

    /** Whether {@code hashes.sha256} is present and equals the event's content hash. */
    public static boolean hasValidContentHash(ObjectNode event) {
        var claimed = event.path("hashes").path("sha256");
        if (!claimed.isTextual()) {
            return false;
        }
        try {
            return MessageDigest.isEqual(UnpaddedBase64.decode(claimed.textValue()), contentHash(event));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** SHA-256 over the canonical JSON of the redacted event without {@code signatures} and {@code unsigned}. */
    public static byte[] referenceHash(ObjectNode event, RoomVersion version) {
        ObjectNode redacted = Redaction.redact(event, version);
        redacted.remove("signatures");
        redacted.remove("unsigned");
        return sha256(CanonicalJson.encode(redacted));
    }

    /** The event ID: {@code $} + URL-safe unpadded base64 of the reference hash. */
    public static EventId eventId(ObjectNode event, RoomVersion version) {
        return new EventId("$" + UnpaddedBase64.encodeUrlSafe(referenceHash(event, version)));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
