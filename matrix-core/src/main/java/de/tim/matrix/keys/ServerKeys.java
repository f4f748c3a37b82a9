package de.tim.matrix.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.id.ServerName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's published keys ({@code GET /_matrix/key/v2/server}): build and sign our own response,
 * or parse and verify a remote one, then answer which key was valid at a given time.
 *
 * @param serverName    the server the keys belong to
 * @param verifyKeys    current keys by key ID
 * @param oldVerifyKeys former keys by key ID with the time they expired
 * @param validUntilTs  until when the current keys may be used (before the seven-day cap)
 */
public record ServerKeys(ServerName serverName, Map<String, VerifyKey> verifyKeys, Map<String, OldKey> oldVerifyKeys,
                         long validUntilTs) {

    /** Keys are never trusted for longer than this after fetching them ({@code valid_until_ts} cap). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(7);

    /** A former key and the time it stopped being used. */
    public record OldKey(VerifyKey key, long expiredTs) {
    }

    public ServerKeys {
        Objects.requireNonNull(serverName, "serverName");
        verifyKeys = Map.copyOf(verifyKeys);
        oldVerifyKeys = Map.copyOf(oldVerifyKeys);
    }

    /** The signed response body for our own server. */
    public static ObjectNode publish(ServerName serverName, SigningKey current, Map<String, OldKey> oldKeys,
                                     long validUntilTs) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("server_name", serverName.toString());
        json.putObject("verify_keys").putObject(current.keyId()).put("key", current.verifyKey().publicKeyBase64());
        ObjectNode old = json.putObject("old_verify_keys");
        oldKeys.forEach((id, k) -> old.putObject(id).put("key", k.key().publicKeyBase64()).put("expired_ts", k.expiredTs()));
        json.put("valid_until_ts", validUntilTs);
        return JsonSigning.sign(json, serverName.toString(), current);
    }

    /**
     * Parses a key response and checks that it is about {@code expected} and self-signed: there must be
     * at least one signature of the server, and every signature must be by one of its
     * {@code verify_keys} and valid. Throws {@link IllegalArgumentException} otherwise.
     */
    public static ServerKeys parseAndVerify(ObjectNode json, ServerName expected) {
        String name = json.path("server_name").asText(null);
        if (!expected.toString().equals(name)) {
            throw new IllegalArgumentException("Key response is for " + name + ", expected " + expected);
        }
        Map<String, VerifyKey> verifyKeys = new LinkedHashMap<>();
        json.path("verify_keys").properties().forEach(e -> verifyKeys.put(e.getKey(), key(e.getKey(), e.getValue())));
        Map<String, OldKey> oldKeys = new LinkedHashMap<>();
        json.path("old_verify_keys").properties().forEach(e -> {
            JsonNode expired = e.getValue().get("expired_ts");
            if (expired == null || !expired.isIntegralNumber()) {
                throw new IllegalArgumentException("old_verify_keys entry without expired_ts: " + e.getKey());
            }
            oldKeys.put(e.getKey(), new OldKey(key(e.getKey(), e.getValue()), expired.longValue()));
        });
        Map<String, String> signatures = JsonSigning.signatures(json, name);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("Key response is not signed by " + name);
        }
        for (String keyId : signatures.keySet()) {
            VerifyKey key = verifyKeys.get(keyId);
            if (key == null) {
                throw new IllegalArgumentException("Key response signed with a key it does not list: " + keyId);
            }
            if (!JsonSigning.verify(json, name, key)) {
                throw new IllegalArgumentException("Invalid signature by " + keyId + " on the key response");
            }
        }
        long validUntil = json.path("valid_until_ts").isIntegralNumber() ? json.get("valid_until_ts").longValue() : 0;
        return new ServerKeys(expected, verifyKeys, oldKeys, validUntil);
    }

    private static VerifyKey key(String keyId, JsonNode entry) {
        JsonNode key = entry.get("key");
        if (key == null || !key.isTextual()) {
            throw new IllegalArgumentException("Key entry without key: " + keyId);
        }
        return VerifyKey.fromBase64(keyId, key.textValue());
    }

    /**
     * The key with {@code keyId} if it was valid at {@code atMillis}: a current key until the lesser of
     * {@code valid_until_ts} and {@code fetchedAtMillis} + 7 days, an old key until its {@code expired_ts}.
     */
    public Optional<VerifyKey> keyValidAt(String keyId, long atMillis, long fetchedAtMillis) {
        VerifyKey current = verifyKeys.get(keyId);
        if (current != null) {
            long until = Math.min(validUntilTs, fetchedAtMillis + MAX_VALIDITY.toMillis());
            return atMillis <= until ? Optional.of(current) : Optional.empty();
        }
        OldKey old = oldVerifyKeys.get(keyId);
        if (old != null && atMillis <= old.expiredTs()) {
            return Optional.of(old.key());
        }
        return Optional.empty();
    }
}
