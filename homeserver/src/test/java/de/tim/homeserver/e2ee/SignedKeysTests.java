package de.tim.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.Test;

/** Checks of signed key objects. */
class SignedKeysTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode deviceKeys(SigningKey key) {
        ObjectNode keys = JSON.createObjectNode().put("user_id", "@a:x").put("device_id", "DEV");
        keys.putObject("keys").put("ed25519:DEV", key.verifyKey().publicKeyBase64());
        return keys;
    }

    @Test
    void verifiesTheDevicesOwnSignatureAndRejectsTampering() {
        SigningKey key = SigningKey.generate("DEV");
        ObjectNode signed = JsonSigning.sign(deviceKeys(key), "@a:x", key);
        assertThat(SignedKeys.signedBy(signed, "@a:x", SignedKeys.ed25519(signed, "DEV"))).isTrue();
        assertThat(SignedKeys.signedBy(signed, "@b:x", SignedKeys.ed25519(signed, "DEV"))).isFalse();
        ObjectNode tampered = signed.deepCopy().put("device_id", "OTHER");
        assertThat(SignedKeys.signedBy(tampered, "@a:x", SignedKeys.ed25519(tampered, "DEV"))).isFalse();
        // unsigned is not covered
        ObjectNode withUnsigned = signed.deepCopy();
        withUnsigned.putObject("unsigned").put("device_display_name", "x");
        assertThat(SignedKeys.signedBy(withUnsigned, "@a:x", SignedKeys.ed25519(withUnsigned, "DEV"))).isTrue();
    }

    @Test
    void malformedKeysAreNotKeys() {
        ObjectNode keys = JSON.createObjectNode();
        keys.putObject("keys").put("ed25519:DEV", "not base64!").put("ed25519:SHORT", "AAAA");
        assertThat(SignedKeys.ed25519(keys, "DEV")).isNull();
        assertThat(SignedKeys.ed25519(keys, "SHORT")).isNull();
        assertThat(SignedKeys.ed25519(keys, "MISSING")).isNull();
        assertThat(SignedKeys.signedBy(keys, "@a:x", null)).isFalse();
    }

    @Test
    void crossSigningKeysHoldExactlyOneKeyNamedByItself() {
        String pub = SigningKey.generate("m").verifyKey().publicKeyBase64();
        ObjectNode good = JSON.createObjectNode();
        good.putObject("keys").put("ed25519:" + pub, pub);
        assertThat(SignedKeys.singlePublicKey(good)).isEqualTo(pub);
        ObjectNode misnamed = JSON.createObjectNode();
        misnamed.putObject("keys").put("ed25519:other", pub);
        assertThat(SignedKeys.singlePublicKey(misnamed)).isNull();
        ObjectNode two = good.deepCopy();
        ((ObjectNode) two.get("keys")).put("ed25519:x", "x");
        assertThat(SignedKeys.singlePublicKey(two)).isNull();
    }

    @Test
    void unsignedContentDropsSignaturesAndUnsigned() {
        ObjectNode o = JSON.createObjectNode().put("a", 1);
        o.putObject("signatures");
        o.putObject("unsigned");
        assertThat(SignedKeys.unsignedContent(o)).isEqualTo(JSON.createObjectNode().put("a", 1));
        SignedKeys.addSignature(o, "@a:x", "ed25519:K", "sig");
        assertThat(o.path("signatures").path("@a:x").path("ed25519:K").asText()).isEqualTo("sig");
    }
}
