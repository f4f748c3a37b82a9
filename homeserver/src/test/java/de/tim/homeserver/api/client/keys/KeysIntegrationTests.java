package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.Test;

/** {@code /keys/upload}, {@code /keys/query}, {@code /keys/claim}, {@code /keys/changes} over HTTP. */
class KeysIntegrationTests extends E2eeTestSupport {

    @Test
    void uploadsDeviceKeysAndOneTimeKeysAndQueriesThem() {
        TestUser alice = registerA("keys-alice");
        TestUser bob = registerA("keys-bob");
        SigningKey key = deviceKey(alice);
        ObjectNode deviceKeys = deviceKeys(alice, key);
        JsonNode counts = uploadOk(alice, Map.of("device_keys", deviceKeys, "one_time_keys", oneTimeKeys("a", 3)));
        assertThat(counts.path("one_time_key_counts").path("signed_curve25519").asInt()).isEqualTo(3);

        JsonNode query = queryKeys(bob, alice.userId());
        JsonNode device = query.path("device_keys").path(alice.userId()).path(alice.deviceId());
        assertThat(device.path("keys").path("ed25519:" + alice.deviceId()).asText()).isEqualTo(key.verifyKey().publicKeyBase64());
        assertThat(device.path("signatures").path(alice.userId()).has("ed25519:" + alice.deviceId())).isTrue();
        assertThat(query.path("failures").isObject()).isTrue();

        // a second upload of the same keys is accepted; the count does not change
        JsonNode again = uploadOk(alice, Map.of("device_keys", deviceKeys, "one_time_keys", oneTimeKeys("a", 3)));
        assertThat(again.path("one_time_key_counts").path("signed_curve25519").asInt()).isEqualTo(3);
        // an upload without keys reports the counts
        assertThat(uploadOk(alice, Map.of()).path("one_time_key_counts").path("signed_curve25519").asInt()).isEqualTo(3);
    }

    @Test
    void rejectsForeignUnsignedOrMalformedDeviceKeys() {
        TestUser alice = registerA("keys-bad");
        TestUser other = registerA("keys-other");
        SigningKey key = deviceKey(alice);
        // another user's keys
        MatrixTestClient.Response foreign = uploadKeys(alice, Map.of("device_keys", deviceKeys(other, deviceKey(other))));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.errcode()).isEqualTo("M_INVALID_PARAM");
        // signature by a different key
        ObjectNode forged = deviceKeys(alice, key);
        ((ObjectNode) forged.get("keys")).put("ed25519:" + alice.deviceId(), deviceKey(alice).verifyKey().publicKeyBase64());
        MatrixTestClient.Response badSig = uploadKeys(alice, Map.of("device_keys", forged));
        assertThat(badSig.status()).isEqualTo(400);
        assertThat(badSig.errcode()).isEqualTo("M_INVALID_SIGNATURE");
        // tampered after signing
        ObjectNode tampered = deviceKeys(alice, key);
        tampered.putArray("algorithms").add("x");
        assertThat(uploadKeys(alice, Map.of("device_keys", tampered)).errcode()).isEqualTo("M_INVALID_SIGNATURE");
        // wrong shapes
        assertThat(uploadKeys(alice, Map.of("device_keys", "x")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, Map.of("one_time_keys", List.of())).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, Map.of("one_time_keys", Map.of("nocolon", "k"))).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, Map.of("one_time_keys", Map.of("signed_curve25519:X", Map.of("key", "k")))).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, Map.of("fallback_keys", Map.of("signed_curve25519:X", Map.of("signatures", Map.of()))))
                .errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, "[]").errcode()).isEqualTo("M_BAD_JSON");
        assertThat(uploadKeys(alice, "{").errcode()).isEqualTo("M_NOT_JSON");
        // nothing of the rejected uploads was stored
        assertThat(queryKeys(alice, alice.userId()).path("device_keys").path(alice.userId()).isEmpty()).isTrue();
        // a one-time key id reused with different content
        uploadOk(alice, Map.of("one_time_keys", Map.of("signed_curve25519:K1", signedKey(JSON.createObjectNode(), "one"))));
        MatrixTestClient.Response reused = uploadKeys(alice, Map.of("one_time_keys", Map.of("signed_curve25519:K1", signedKey(JSON.createObjectNode(), "two"))));
        assertThat(reused.status()).isEqualTo(400);
        // without a token
        assertThat(alice.client().post(CS + "/keys/upload", null, Map.of()).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(alice.client().post(CS + "/keys/query", null, Map.of()).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(alice.client().post(CS + "/keys/claim", null, Map.of()).errcode()).isEqualTo("M_MISSING_TOKEN");
    }

    @Test
    void claimsEachOneTimeKeyOnceThenTheFallbackKey() {
        TestUser alice = registerA("claim-alice");
        TestUser bob = registerA("claim-bob");
        ObjectNode fallback = fallbackKeys("FB", "fallback");
        uploadOk(alice, Map.of("device_keys", deviceKeys(alice, deviceKey(alice)), "one_time_keys", oneTimeKeys("c", 2),
                "fallback_keys", fallback));

        Set<String> claimed = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            MatrixTestClient.Response r = claim(bob, alice.userId(), alice.deviceId(), "signed_curve25519");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            JsonNode keys = r.body().path("one_time_keys").path(alice.userId()).path(alice.deviceId());
            assertThat(keys.size()).isEqualTo(1);
            claimed.add(keys.fieldNames().next());
        }
        assertThat(claimed).containsExactlyInAnyOrder("signed_curve25519:c0", "signed_curve25519:c1");
        assertThat(uploadOk(alice, Map.of()).path("one_time_key_counts").path("signed_curve25519").asInt()).isZero();

        // exhausted: the fallback key, marked used (sync reports no unused fallback types any more)
        JsonNode fb = claim(bob, alice.userId(), alice.deviceId(), "signed_curve25519").body();
        assertThat(fb.path("one_time_keys").path(alice.userId()).path(alice.deviceId()).path("signed_curve25519:FB")
                .path("key").asText()).isEqualTo("fallback");
        JsonNode sync = sync(alice, "?timeout=0").body();
        assertThat(sync.path("device_unused_fallback_key_types").isArray()).isTrue();
        assertThat(sync.path("device_unused_fallback_key_types")).isEmpty();

        // unknown device or algorithm: nothing, no error
        JsonNode none = claim(bob, alice.userId(), "NODEVICE", "signed_curve25519").body();
        assertThat(none.path("one_time_keys").path(alice.userId()).isMissingNode()).isTrue();
        assertThat(claim(bob, alice.userId(), alice.deviceId(), 5).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(claim(bob, "not-a-user", alice.deviceId(), "signed_curve25519").errcode()).isEqualTo("M_INVALID_PARAM");
    }

    private MatrixTestClient.Response claim(TestUser user, String target, String deviceId, Object algorithm) {
        return user.client().post(CS + "/keys/claim", user.accessToken(),
                Map.of("one_time_keys", Map.of(target, Map.of(deviceId, algorithm))));
    }

    @Test
    void concurrentClaimsNeverGetTheSameKey() throws Exception {
        TestUser alice = registerA("race-alice");
        TestUser bob = registerA("race-bob");
        int keys = 20;
        uploadOk(alice, Map.of("one_time_keys", oneTimeKeys("r", keys)));
        List<Callable<String>> claims = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            claims.add(() -> {
                JsonNode r = claim(bob, alice.userId(), alice.deviceId(), "signed_curve25519").body();
                JsonNode forDevice = r.path("one_time_keys").path(alice.userId()).path(alice.deviceId());
                return forDevice.isObject() && forDevice.size() == 1 ? forDevice.fieldNames().next() : null;
            });
        }
        List<String> got = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<String> f : pool.invokeAll(claims)) {
                got.add(f.get());
            }
        }
        assertThat(got).doesNotContainNull().doesNotHaveDuplicates().hasSize(keys);
    }

    @Test
    void queryShowsCrossSigningKeysAndReportsRemoteServersAsFailures() {
        TestUser alice = registerA("q-alice");
        JsonNode q = alice.client().post(CS + "/keys/query", alice.accessToken(),
                Map.of("device_keys", Map.of(alice.userId(), List.of(), "@x:remote.example", List.of()))).body();
        assertThat(q.path("failures").has("remote.example")).isTrue();
        assertThat(q.path("device_keys").path(alice.userId()).isObject()).isTrue();
        assertThat(alice.client().post(CS + "/keys/query", alice.accessToken(), Map.of("device_keys", List.of())).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.client().post(CS + "/keys/query", alice.accessToken(), Map.of("device_keys", Map.of(alice.userId(), "x")))
                .errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void everyE2eeEndpointNeedsAnAccessToken() {
        String[][] endpoints = {
            {"POST", "/keys/upload"}, {"POST", "/keys/query"}, {"POST", "/keys/claim"}, {"GET", "/keys/changes?from=s0&to=s0"},
            {"POST", "/keys/device_signing/upload"}, {"POST", "/keys/signatures/upload"}, {"PUT", "/sendToDevice/m.test/t"},
            {"POST", "/room_keys/version"}, {"GET", "/room_keys/version"}, {"GET", "/room_keys/version/1"},
            {"PUT", "/room_keys/version/1"}, {"DELETE", "/room_keys/version/1"}, {"GET", "/room_keys/keys?version=1"},
            {"PUT", "/room_keys/keys?version=1"}, {"DELETE", "/room_keys/keys?version=1"},
        };
        MatrixTestClient client = a();
        for (String[] e : endpoints) {
            MatrixTestClient.Response r = client.send(e[0], CS + e[1], null, e[0].equals("GET") || e[0].equals("DELETE") ? null : Map.of());
            assertThat(r.status()).as(e[0] + " " + e[1]).isEqualTo(401);
            assertThat(r.errcode()).as(e[0] + " " + e[1]).isEqualTo("M_MISSING_TOKEN");
        }
    }

    @Test
    void changesRequiresTokens() {
        TestUser alice = registerA("changes-alice");
        assertThat(alice.client().get(CS + "/keys/changes?from=s0", alice.accessToken()).errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(alice.client().get(CS + "/keys/changes?from=x&to=y", alice.accessToken()).errcode()).isEqualTo("M_INVALID_PARAM");
    }
}
