package de.tim.homeserver.e2ee;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.VerifyKey;

/** Checks of signed key objects (device keys, cross-signing keys) with matrix-core's {@link JsonSigning}. */
public final class SignedKeys {

    private SignedKeys() {
    }

    /** The ed25519 key {@code keys["ed25519:" + keyName]} as a verify key, or null when absent or malformed. */
    public static VerifyKey ed25519(JsonNode keyObject, String keyName) {
        JsonNode key = keyObject.path("keys").path("ed25519:" + keyName);
        if (!key.isTextual()) {
            return null;
        }
        try {
            return VerifyKey.fromBase64("ed25519:" + keyName, key.textValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code object} carries a valid signature of {@code signer} by {@code key}. */
    public static boolean signedBy(ObjectNode object, String signer, VerifyKey key) {
        return key != null && JsonSigning.verify(object, signer, key);
    }

    /** Adds {@code signatures.<user>.<keyId> = signature} to the object (in place). */
    public static void addSignature(ObjectNode object, String user, String keyId, String signature) {
        JsonNode all = object.get("signatures");
        ObjectNode signatures = all instanceof ObjectNode o ? o : object.putObject("signatures");
        JsonNode forUser = signatures.get(user);
        ObjectNode userSignatures = forUser instanceof ObjectNode o ? o : signatures.putObject(user);
        userSignatures.put(keyId, signature);
    }

    /** The object without {@code signatures} and {@code unsigned}: what a signature covers. */
    public static ObjectNode unsignedContent(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }

    /** The single ed25519 public key of a cross-signing key object, or null unless exactly one is given. */
    public static String singlePublicKey(JsonNode keyObject) {
        JsonNode keys = keyObject.path("keys");
        if (!keys.isObject() || keys.size() != 1) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> it = keys.properties().iterator();
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual() || !e.getKey().equals("ed25519:" + e.getValue().textValue())) {
            return null;
        }
        return ed25519(keyObject, e.getValue().textValue()) == null ? null : e.getValue().textValue();
    }
}
