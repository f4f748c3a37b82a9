package de.tim.matrix.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.InvalidJsonException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Authorization: X-Matrix ...} header of server-server requests ("Request
 * Authentication"): build and sign it for outgoing requests, parse and verify it on incoming ones.
 *
 * @param origin      the sending server
 * @param destination the receiving server; absent only in headers of servers older than v1.3
 * @param keyId       the signing key ID, e.g. {@code ed25519:a_Abc}
 * @param signature   the unpadded-base64 signature of the request JSON
 */
public record XMatrixAuthorization(ServerName origin, Optional<ServerName> destination, String keyId, String signature) {

    /** The auth scheme. */
    public static final String SCHEME = "X-Matrix";

    public XMatrixAuthorization {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
    }

    /**
     * Signs a request.
     *
     * @param uri     the full request target starting with {@code /_matrix/}, including the query string
     * @param content the parsed JSON body, or {@code null} for requests without a body
     */
    public static XMatrixAuthorization sign(ServerName origin, ServerName destination, String method, String uri,
                                            JsonNode content, SigningKey key) {
        ObjectNode request = requestJson(origin, destination, method, uri, content);
        String signature = UnpaddedBase64.encode(key.sign(JsonSigning.signedBytes(request)));
        return new XMatrixAuthorization(origin, Optional.of(destination), key.keyId(), signature);
    }

    /** The JSON object that is signed for a request (step 1 of "Request Authentication"). */
    public static ObjectNode requestJson(ServerName origin, ServerName destination, String method, String uri,
                                         JsonNode content) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("method", method);
        request.put("uri", uri);
        request.put("origin", origin.toString());
        request.put("destination", destination.toString());
        if (content != null && !content.isMissingNode()) {
            request.set("content", content);
        }
        return request;
    }

    /** Parses a header value; see {@link XMatrixHeaderParser} for the accepted syntax. */
    public static XMatrixAuthorization parse(String headerValue) {
        Map<String, String> params = XMatrixHeaderParser.parse(headerValue);
        String origin = params.get("origin");
        String key = params.get("key");
        String sig = params.get("sig");
        if (origin == null || key == null || sig == null) {
            throw new IllegalArgumentException("X-Matrix header lacks one of origin, key, sig");
        }
        String destination = params.get("destination");
        return new XMatrixAuthorization(ServerName.parse(origin),
                destination == null ? Optional.empty() : Optional.of(ServerName.parse(destination)), key, sig);
    }

    /** The header value in the most compatible form (one space, lower-case names, quoted values). */
    public String headerValue() {
        StringBuilder b = new StringBuilder(SCHEME).append(' ');
        b.append("origin=").append(quote(origin.toString()));
        destination.ifPresent(d -> b.append(",destination=").append(quote(d.toString())));
        b.append(",key=").append(quote(keyId));
        b.append(",sig=").append(quote(signature));
        return b.toString();
    }

    /** Whether the header names {@code ownServerName} as destination, or names none (pre-v1.3 senders). */
    public boolean destinationMatches(ServerName ownServerName) {
        return destination.map(ownServerName::equals).orElse(true);
    }

    /**
     * Verifies the signature over the request as received by {@code ownServerName}. The caller looks
     * up {@code key} by {@link #origin()} and {@link #keyId()} and must answer 401 when
     * {@link #destinationMatches} is false.
     */
    public boolean verify(ServerName ownServerName, String method, String uri, JsonNode content, VerifyKey key) {
        if (!key.keyId().equals(keyId) || !destinationMatches(ownServerName)) {
            return false;
        }
        byte[] sig;
        try {
            sig = UnpaddedBase64.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ObjectNode request = requestJson(origin, destination.orElse(ownServerName), method, uri, content);
        if (destination.isEmpty()) {
            request.remove("destination");
        }
        try {
            return key.verify(JsonSigning.signedBytes(request), sig);
        } catch (InvalidJsonException e) {
            return false;
        }
    }

    private static String quote(String value) {
        if (value.indexOf('"') < 0 && value.indexOf('\\') < 0) {
            return '"' + value + '"';
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Lower-cases a parameter name for lookups. */
    static String normalizeName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
