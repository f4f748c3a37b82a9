package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.UnpaddedBase64;

/** Client-side key material for E2EE tests: signed device keys and cross-signing keys built with matrix-core. */
public abstract class E2eeTestSupport extends RoomTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** A device's ed25519 key (key id {@code ed25519:<device id>}). */
    protected static SigningKey deviceKey(TestUser user) {
        return SigningKey.generate(user.deviceId());
    }

    /** Signed {@code device_keys} of the user's device. */
    protected static ObjectNode deviceKeys(TestUser user, SigningKey key) {
        ObjectNode keys = JSON.createObjectNode();
        keys.put("user_id", user.userId()).put("device_id", user.deviceId());
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + user.deviceId(), "curve" + user.deviceId())
                .put("ed25519:" + user.deviceId(), key.verifyKey().publicKeyBase64());
        return JsonSigning.sign(keys, user.userId(), key);
    }

    /** Signs {@code object} as {@code user} with a key whose id is {@code ed25519:<public key>} (cross-signing keys). */
    protected static ObjectNode signWithPublicKeyId(ObjectNode object, String user, SigningKey key) {
        String signature = UnpaddedBase64.encode(key.sign(JsonSigning.signedBytes(object)));
        ObjectNode signed = object.deepCopy();
        ObjectNode signatures = signed.has("signatures") ? (ObjectNode) signed.get("signatures") : signed.putObject("signatures");
        ObjectNode forUser = signatures.has(user) ? (ObjectNode) signatures.get(user) : signatures.putObject(user);
        forUser.put("ed25519:" + key.verifyKey().publicKeyBase64(), signature);
        return signed;
    }

    /** An unsigned cross-signing key object of {@code usage} for {@code key}. */
    protected static ObjectNode crossSigningKey(String userId, String usage, SigningKey key) {
        ObjectNode object = JSON.createObjectNode().put("user_id", userId);
        object.putArray("usage").add(usage);
        String pub = key.verifyKey().publicKeyBase64();
        object.putObject("keys").put("ed25519:" + pub, pub);
        return object;
    }

    protected MatrixTestClient.Response uploadKeys(TestUser user, Object body) {
        return user.client().post(CS + "/keys/upload", user.accessToken(), body);
    }

    protected JsonNode uploadOk(TestUser user, Object body) {
        MatrixTestClient.Response r = uploadKeys(user, body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    protected JsonNode queryKeys(TestUser user, String... userIds) {
        ObjectNode wanted = JSON.createObjectNode();
        for (String u : userIds) {
            wanted.putArray(u);
        }
        MatrixTestClient.Response r = user.client().post(CS + "/keys/query", user.accessToken(), Map.of("device_keys", wanted));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    protected MatrixTestClient.Response claim(TestUser user, String target, String deviceId, String algorithm) {
        return user.client().post(CS + "/keys/claim", user.accessToken(),
                Map.of("one_time_keys", Map.of(target, Map.of(deviceId, algorithm))));
    }

    /** A signed_curve25519 key object; the server checks its shape, clients check the signature. */
    protected static ObjectNode signedKey(ObjectNode object, String key) {
        object.put("key", key);
        object.putObject("signatures").putObject("@client:example").put("ed25519:DEVICE", "signature");
        return object;
    }

    protected static ObjectNode fallbackKeys(String keyId, String key) {
        ObjectNode keys = JSON.createObjectNode();
        signedKey(keys.putObject("signed_curve25519:" + keyId), key).put("fallback", true);
        return keys;
    }

    protected static ObjectNode oneTimeKeys(String prefix, int count) {
        ObjectNode keys = JSON.createObjectNode();
        for (int i = 0; i < count; i++) {
            signedKey(keys.putObject("signed_curve25519:" + prefix + i), "otk-" + prefix + i);
        }
        return keys;
    }
}
