package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.SpecSchemas;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.Test;

/** E2EE responses validated against the spec's response schemas (keys, cross_signing, key_backup, sync). */
class E2eeSchemaConformanceIntegrationTests extends E2eeTestSupport {

    @Test
    void e2eeEndpointsConformToTheSpec() {
        TestUser alice = registerA("schema-alice");
        TestUser bob = registerA("schema-bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        String since = sync(bob, "?timeout=0").text("next_batch");

        SigningKey deviceKey = deviceKey(alice);
        ObjectNode fallback = fallbackKeys("F", "fb");
        conforms("keys.yaml", "/keys/upload", "post", uploadKeys(alice, Map.of("device_keys", deviceKeys(alice, deviceKey),
                "one_time_keys", oneTimeKeys("s", 2), "fallback_keys", fallback)));
        CrossSigningIntegrationTests.CrossSigning xs = CrossSigningIntegrationTests.crossSigning(alice);
        assertThat(alice.client().post(CS + "/keys/device_signing/upload", alice.accessToken(), xs.body()).status()).isEqualTo(200);
        conforms("keys.yaml", "/keys/query", "post", alice.client().post(CS + "/keys/query", alice.accessToken(),
                Map.of("device_keys", Map.of(alice.userId(), List.of(), "@x:remote.example", List.of()))));
        conforms("keys.yaml", "/keys/claim", "post", alice.client().post(CS + "/keys/claim", bob.accessToken(),
                Map.of("one_time_keys", Map.of(alice.userId(), Map.of(alice.deviceId(), "signed_curve25519")))));
        MatrixTestClient.Response bobSync = sync(bob, "?timeout=0&since=" + enc(since));
        conforms("sync.yaml", "/sync", "get", bobSync);
        conforms("keys.yaml", "/keys/changes", "get", bob.client().get(CS + "/keys/changes?from=" + enc(since) + "&to="
                + enc(bobSync.text("next_batch")), bob.accessToken()));
        conforms("cross_signing.yaml", "/keys/signatures/upload", "post", alice.client().post(CS + "/keys/signatures/upload",
                alice.accessToken(), Map.of(alice.userId(), Map.of(alice.deviceId(),
                        signWithPublicKeyId(deviceKeys(alice, deviceKey), alice.userId(), xs.selfSigning()), "NOPE", Map.of()))));

        alice.client().put(CS + "/sendToDevice/m.test/schema", alice.accessToken(),
                Map.of("messages", Map.of(bob.userId(), Map.of("*", Map.of("body", "x")))));
        conforms("sync.yaml", "/sync", "get", sync(bob, "?timeout=0&since=" + enc(bobSync.text("next_batch"))));

        String version = alice.client().post(CS + "/room_keys/version", alice.accessToken(),
                Map.of("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2", "auth_data", Map.of("public_key", "pk"))).text("version");
        conforms("key_backup.yaml", "/room_keys/version", "get", alice.client().get(CS + "/room_keys/version", alice.accessToken()));
        Map<String, Object> data = Map.of("first_message_index", 1, "forwarded_count", 0, "is_verified", false,
                "session_data", Map.of("ciphertext", "c"));
        conforms("key_backup.yaml", "/room_keys/keys", "put", alice.client().put(CS + "/room_keys/keys?version=" + version,
                alice.accessToken(), Map.of("rooms", Map.of(roomId, Map.of("sessions", Map.of("s1", data))))));
        conforms("key_backup.yaml", "/room_keys/keys", "get", alice.client().get(CS + "/room_keys/keys?version=" + version,
                alice.accessToken()));
        conforms("key_backup.yaml", "/room_keys/keys/{roomId}", "get", alice.client().get(CS + "/room_keys/keys/" + enc(roomId)
                + "?version=" + version, alice.accessToken()));
        conforms("key_backup.yaml", "/room_keys/keys/{roomId}/{sessionId}", "get", alice.client().get(CS + "/room_keys/keys/"
                + enc(roomId) + "/s1?version=" + version, alice.accessToken()));
        conforms("key_backup.yaml", "/room_keys/keys", "delete", alice.client().delete(CS + "/room_keys/keys?version=" + version,
                alice.accessToken(), null));
    }

    private static void conforms(String file, String path, String method, MatrixTestClient.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        Set<ValidationMessage> errors = SpecSchemas.validate(file, path, method, response.body());
        assertThat(errors).as(method + " " + path + ": " + response.raw()).isEmpty();
    }
}
