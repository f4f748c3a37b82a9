package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.Test;

/** {@code /keys/device_signing/upload} (with the v1.11 UIA rules) and {@code /keys/signatures/upload} over HTTP. */
class CrossSigningIntegrationTests extends E2eeTestSupport {

    /** A user's cross-signing keys: master, self-signing and user-signing, the latter two signed by the master. */
    record CrossSigning(SigningKey master, SigningKey selfSigning, SigningKey userSigning, Map<String, Object> body) {
        String masterPub() {
            return master.verifyKey().publicKeyBase64();
        }
    }

    static CrossSigning crossSigning(TestUser user) {
        SigningKey master = SigningKey.generate("m");
        SigningKey self = SigningKey.generate("s");
        SigningKey usk = SigningKey.generate("u");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("master_key", crossSigningKey(user.userId(), "master", master));
        body.put("self_signing_key", signWithPublicKeyId(crossSigningKey(user.userId(), "self_signing", self), user.userId(), master));
        body.put("user_signing_key", signWithPublicKeyId(crossSigningKey(user.userId(), "user_signing", usk), user.userId(), master));
        return new CrossSigning(master, self, usk, body);
    }

    private MatrixTestClient.Response uploadCrossSigning(TestUser user, Map<String, Object> body) {
        return user.client().post(CS + "/keys/device_signing/upload", user.accessToken(), body);
    }

    private MatrixTestClient.Response uploadSignatures(TestUser user, Object body) {
        return user.client().post(CS + "/keys/signatures/upload", user.accessToken(), body);
    }

    @Test
    void firstUploadNeedsNoUiaReplacingDoesAndUserSigningKeysStayPrivate() {
        TestUser alice = registerA("xs-alice");
        TestUser bob = registerA("xs-bob");
        CrossSigning keys = crossSigning(alice);
        assertThat(uploadCrossSigning(alice, keys.body()).status()).isEqualTo(200);
        // the identical upload again (lost response): no UIA
        assertThat(uploadCrossSigning(alice, keys.body()).status()).isEqualTo(200);

        JsonNode own = queryKeys(alice, alice.userId());
        assertThat(own.path("master_keys").path(alice.userId()).path("keys").path("ed25519:" + keys.masterPub()).asText())
                .isEqualTo(keys.masterPub());
        assertThat(own.path("self_signing_keys").has(alice.userId())).isTrue();
        assertThat(own.path("user_signing_keys").has(alice.userId())).isTrue();
        JsonNode seenByBob = queryKeys(bob, alice.userId());
        assertThat(seenByBob.path("master_keys").has(alice.userId())).isTrue();
        assertThat(seenByBob.path("self_signing_keys").has(alice.userId())).isTrue();
        assertThat(seenByBob.path("user_signing_keys").has(alice.userId())).isFalse();

        // replacing needs UIA
        CrossSigning replacement = crossSigning(alice);
        MatrixTestClient.Response challenge = uploadCrossSigning(alice, replacement.body());
        assertThat(challenge.status()).as(challenge.raw()).isEqualTo(401);
        assertThat(challenge.body().path("flows").isArray()).isTrue();
        Map<String, Object> withAuth = new LinkedHashMap<>(replacement.body());
        withAuth.put("auth", passwordAuth(alice, PASSWORD, challenge.text("session")));
        assertThat(uploadCrossSigning(alice, withAuth).status()).isEqualTo(200);
        assertThat(queryKeys(bob, alice.userId()).path("master_keys").path(alice.userId()).path("keys")
                .has("ed25519:" + replacement.masterPub())).isTrue();
        // a sub-key alone (no master in the request) also needs UIA once a master exists
        Map<String, Object> onlySelf = Map.of("self_signing_key", replacement.body().get("self_signing_key"));
        assertThat(uploadCrossSigning(alice, onlySelf).status()).isEqualTo(401);
    }

    @Test
    void deactivationDropsTheCrossSigningKeys() {
        TestUser alice = registerA("xs-deact");
        TestUser bob = registerA("xs-deact-bob");
        assertThat(uploadCrossSigning(alice, crossSigning(alice).body()).status()).isEqualTo(200);
        assertThat(queryKeys(bob, alice.userId()).path("master_keys").has(alice.userId())).isTrue();
        MatrixTestClient.Response challenge = alice.client().post(CS + "/account/deactivate", alice.accessToken(), Map.of());
        assertThat(challenge.status()).isEqualTo(401);
        MatrixTestClient.Response done = alice.client().post(CS + "/account/deactivate", alice.accessToken(),
                Map.of("auth", passwordAuth(alice, PASSWORD, challenge.text("session"))));
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
        JsonNode q = queryKeys(bob, alice.userId());
        assertThat(q.path("master_keys").has(alice.userId())).isFalse();
        assertThat(q.path("self_signing_keys").has(alice.userId())).isFalse();
        assertThat(q.path("device_keys").path(alice.userId()).isEmpty()).isTrue();
    }

    @Test
    void rejectsInvalidCrossSigningKeys() {
        TestUser alice = registerA("xs-bad");
        TestUser other = registerA("xs-other");
        CrossSigning keys = crossSigning(alice);
        // self-signing key not signed by the master
        Map<String, Object> unsigned = new LinkedHashMap<>(keys.body());
        unsigned.put("self_signing_key", crossSigningKey(alice.userId(), "self_signing", keys.selfSigning()));
        MatrixTestClient.Response r = uploadCrossSigning(alice, unsigned);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_INVALID_SIGNATURE");
        // someone else's keys
        assertThat(uploadCrossSigning(alice, crossSigning(other).body()).errcode()).isEqualTo("M_INVALID_PARAM");
        // wrong usage
        assertThat(uploadCrossSigning(alice, Map.of("master_key", crossSigningKey(alice.userId(), "self_signing", keys.master())))
                .errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(uploadCrossSigning(alice, Map.of("master_key", "x")).errcode()).isEqualTo("M_BAD_JSON");
        // sub-keys before any master
        assertThat(uploadCrossSigning(alice, Map.of("self_signing_key", keys.body().get("self_signing_key"))).errcode())
                .isEqualTo("M_INVALID_PARAM");
        // nothing was stored
        assertThat(queryKeys(alice, alice.userId()).path("master_keys").has(alice.userId())).isFalse();
    }

    @Test
    void signaturesAreCheckedOneByOneAndShownInQueries() {
        TestUser alice = registerA("sig-alice");
        TestUser bob = registerA("sig-bob");
        SigningKey aliceDevice = deviceKey(alice);
        ObjectNode aliceDeviceKeys = deviceKeys(alice, aliceDevice);
        uploadOk(alice, Map.of("device_keys", aliceDeviceKeys));
        CrossSigning aliceXs = crossSigning(alice);
        uploadCrossSigning(alice, aliceXs.body());
        CrossSigning bobXs = crossSigning(bob);
        uploadCrossSigning(bob, bobXs.body());

        String sskId = "ed25519:" + aliceXs.selfSigning().verifyKey().publicKeyBase64();
        ObjectNode signedDevice = signWithPublicKeyId(aliceDeviceKeys, alice.userId(), aliceXs.selfSigning());
        ObjectNode bobMaster = (ObjectNode) queryKeys(alice, bob.userId()).path("master_keys").path(bob.userId());
        ObjectNode signedBobMaster = signWithPublicKeyId(bobMaster, alice.userId(), aliceXs.userSigning());
        ObjectNode aliceMaster = crossSigningKey(alice.userId(), "master", aliceXs.master());
        ObjectNode masterByDevice = JsonSigning.sign(aliceMaster, alice.userId(), aliceDevice);
        // forged: signed by the wrong key
        ObjectNode forged = signWithPublicKeyId(aliceDeviceKeys, alice.userId(), SigningKey.generate("x"));
        ((ObjectNode) forged.get("signatures").get(alice.userId())).put(sskId,
                forged.get("signatures").get(alice.userId()).properties().stream().filter(e -> !e.getKey().equals(sskId)
                        && !e.getKey().equals("ed25519:" + alice.deviceId())).findFirst().orElseThrow().getValue().asText());

        MatrixTestClient.Response r = uploadSignatures(alice, Map.of(
                alice.userId(), Map.of(alice.deviceId(), signedDevice, aliceXs.masterPub(), masterByDevice, "NOSUCHDEVICE", signedDevice),
                bob.userId(), Map.of(bobXs.masterPub(), signedBobMaster)));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode failures = r.body().path("failures");
        assertThat(failures.path(alice.userId()).path("NOSUCHDEVICE").path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        assertThat(failures.path(alice.userId()).has(alice.deviceId())).isFalse();
        assertThat(failures.path(bob.userId()).isMissingNode()).isTrue();

        JsonNode q = queryKeys(alice, alice.userId(), bob.userId());
        assertThat(q.path("device_keys").path(alice.userId()).path(alice.deviceId()).path("signatures").path(alice.userId())
                .has(sskId)).isTrue();
        assertThat(q.path("master_keys").path(alice.userId()).path("signatures").path(alice.userId())
                .has("ed25519:" + alice.deviceId())).isTrue();
        String uskId = "ed25519:" + aliceXs.userSigning().verifyKey().publicKeyBase64();
        assertThat(q.path("master_keys").path(bob.userId()).path("signatures").path(alice.userId()).has(uskId)).isTrue();
        // alice's signature on bob's master key is hers only
        assertThat(queryKeys(bob, bob.userId()).path("master_keys").path(bob.userId()).path("signatures").has(alice.userId())).isFalse();

        // per-signature failures: a forged signature and a changed object
        ObjectNode changedObject = signedDevice.deepCopy();
        changedObject.putArray("algorithms").add("other");
        MatrixTestClient.Response bad = uploadSignatures(alice, Map.of(alice.userId(), Map.of(alice.deviceId(), forged)));
        assertThat(bad.body().path("failures").path(alice.userId()).path(alice.deviceId()).path("errcode").asText())
                .isEqualTo("M_INVALID_SIGNATURE");
        MatrixTestClient.Response changed = uploadSignatures(alice, Map.of(alice.userId(), Map.of(alice.deviceId(), changedObject)));
        assertThat(changed.body().path("failures").path(alice.userId()).path(alice.deviceId()).path("errcode").asText())
                .isEqualTo("M_INVALID_SIGNATURE");
        assertThat(uploadSignatures(alice, Map.of(alice.userId(), "x")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadSignatures(alice, "[]").errcode()).isEqualTo("M_BAD_JSON");
    }
}
