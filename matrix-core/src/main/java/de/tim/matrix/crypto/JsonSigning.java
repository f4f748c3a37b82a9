package de.tim.matrix.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.InvalidJsonException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "Signing JSON" from the appendix: signatures cover the canonical JSON of the object without its
 * {@code signatures} and {@code unsigned} members and are stored under
 * {@code signatures.<entity>.<key id>}.
 */
public final class JsonSigning {

    private JsonSigning() {
    }

    /** The bytes a signature covers: canonical JSON without {@code signatures} and {@code unsigned}. */
    public static byte[] signedBytes(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return CanonicalJson.encode(copy);
    }

    /** Returns a copy of {@code object} with the signature of {@code entity} (a server name or user ID) added. */
    public static ObjectNode sign(ObjectNode object, String entity, SigningKey key) {
        String signature = UnpaddedBase64.encode(key.sign(signedBytes(object)));
        ObjectNode signed = object.deepCopy();
        JsonNode existing = signed.get("signatures");
        ObjectNode signatures = existing instanceof ObjectNode o ? o : signed.putObject("signatures");
        signed.set("signatures", signatures);
        JsonNode forEntity = signatures.get(entity);
        ObjectNode entitySignatures = forEntity instanceof ObjectNode o ? o : signatures.putObject(entity);
        entitySignatures.put(key.keyId(), signature);
        return signed;
    }

    /** The signatures {@code entity} claims on the object, by key ID (empty if none or malformed). */
    public static Map<String, String> signatures(JsonNode object, String entity) {
        Map<String, String> result = new LinkedHashMap<>();
        JsonNode forEntity = object.path("signatures").path(entity);
        if (forEntity.isObject()) {
            forEntity.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    result.put(e.getKey(), e.getValue().textValue());
                }
            });
        }
        return result;
    }

    /**
     * "Checking for a Signature": whether {@code object} carries a valid signature by {@code entity}
     * under the key's ID. Missing entries, undecodable base64, objects canonical JSON cannot encode
     * (floats) and bad signatures all yield false.
     */
    public static boolean verify(ObjectNode object, String entity, VerifyKey key) {
        String signature = signatures(object, entity).get(key.keyId());
        if (signature == null) {
            return false;
        }
        byte[] signatureBytes;
        try {
            signatureBytes = UnpaddedBase64.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] signed;
        try {
            signed = signedBytes(object);
        } catch (InvalidJsonException e) {
            return false;
        }
        return key.verify(signed, signatureBytes);
    }
}
