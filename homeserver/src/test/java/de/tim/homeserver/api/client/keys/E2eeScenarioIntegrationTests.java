package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

/**
 * The E2EE done-when scenario over HTTP: two users, one of them with two devices. Keys, to-device
 * messages, key backup and device deletion as a client pair would use them.
 */
class E2eeScenarioIntegrationTests extends E2eeTestSupport {

    private JsonNode syncOk(TestUser user, String since) {
        MatrixTestClient.Response r = sync(user, since == null ? "?timeout=0" : "?timeout=0&since=" + enc(since));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asText).toList();
    }

    private static List<String> toDeviceBodies(JsonNode sync) {
        return sync.path("to_device").path("events").valueStream().map(e -> e.path("content").path("body").asText()).toList();
    }

    @Test
    void twoDevicesAndARoomPartner() {
        TestUser device1 = registerA("e2e-alice");
        TestUser device2 = secondDevice(device1);
        TestUser bob = registerA("e2e-bob");
        String roomId = createRoom(device1);
        inviteAndJoin(device1, roomId, bob);
        String bobT0 = syncOk(bob, null).path("next_batch").asText();
        String d2T0 = syncOk(device2, null).path("next_batch").asText();

        // device 1 publishes its keys: bob learns of it through /sync and /keys/changes
        uploadOk(device1, Map.of("device_keys", deviceKeys(device1, deviceKey(device1)), "one_time_keys", oneTimeKeys("d1", 2)));
        uploadOk(device2, Map.of("device_keys", deviceKeys(device2, deviceKey(device2))));
        JsonNode bobS1 = syncOk(bob, bobT0);
        assertThat(strings(bobS1.path("device_lists").path("changed"))).contains(device1.userId());
        String bobT1 = bobS1.path("next_batch").asText();
        MatrixTestClient.Response changes = bob.client().get(CS + "/keys/changes?from=" + enc(bobT0) + "&to=" + enc(bobT1),
                bob.accessToken());
        assertThat(strings(changes.body().path("changed"))).contains(device1.userId());
        JsonNode devices = queryKeys(bob, device1.userId()).path("device_keys").path(device1.userId());
        assertThat(devices.has(device1.deviceId())).isTrue();
        assertThat(devices.has(device2.deviceId())).isTrue();
        JsonNode claimed = claim(bob, device1.userId(), device1.deviceId(), "signed_curve25519").body();
        assertThat(claimed.path("one_time_keys").path(device1.userId()).path(device1.deviceId()).size()).isEqualTo(1);

        // device 2 receives device 1's message exactly once
        MatrixTestClient.Response sent = device1.client().put(CS + "/sendToDevice/m.room_key_request/k1", device1.accessToken(),
                Map.of("messages", Map.of(device1.userId(), Map.of(device2.deviceId(), Map.of("body", "for device 2")))));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        JsonNode d2S1 = syncOk(device2, d2T0);
        assertThat(toDeviceBodies(d2S1)).containsExactly("for device 2");
        assertThat(toDeviceBodies(syncOk(device2, d2S1.path("next_batch").asText()))).isEmpty();
        assertThat(toDeviceBodies(syncOk(device1, null))).isEmpty();

        // a backup written by device 1 is read by device 2
        String version = device1.client().post(CS + "/room_keys/version", device1.accessToken(),
                Map.of("algorithm", "m.megolm_backup.v1.curve25519-aes-sha2", "auth_data", Map.of("public_key", "pk"))).text("version");
        MatrixTestClient.Response backedUp = device1.client().put(CS + "/room_keys/keys/" + enc(roomId) + "/session1?version=" + version,
                device1.accessToken(), Map.of("first_message_index", 0, "forwarded_count", 0, "is_verified", true,
                        "session_data", Map.of("ciphertext", "secret-session")));
        assertThat(backedUp.status()).as(backedUp.raw()).isEqualTo(200);
        assertThat(device2.client().get(CS + "/room_keys/version", device2.accessToken()).text("version")).isEqualTo(version);
        JsonNode restored = device2.client().get(CS + "/room_keys/keys?version=" + version, device2.accessToken()).body();
        assertThat(restored.path("rooms").path(roomId).path("sessions").path("session1").path("session_data").path("ciphertext")
                .asText()).isEqualTo("secret-session");

        // a message waiting for device 2, then device 1 deletes device 2: partners see it, keys and inbox are gone
        device1.client().put(CS + "/sendToDevice/m.test/k2", device1.accessToken(),
                Map.of("messages", Map.of(device1.userId(), Map.of(device2.deviceId(), Map.of("body", "never read")))));
        MatrixTestClient.Response challenge = device1.client().delete(CS + "/devices/" + device2.deviceId(), device1.accessToken(), Map.of());
        assertThat(challenge.status()).isEqualTo(401);
        MatrixTestClient.Response deleted = device1.client().delete(CS + "/devices/" + device2.deviceId(), device1.accessToken(),
                Map.of("auth", passwordAuth(device1, PASSWORD, challenge.text("session"))));
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        JsonNode bobS2 = syncOk(bob, bobT1);
        assertThat(strings(bobS2.path("device_lists").path("changed"))).contains(device1.userId());
        assertThat(queryKeys(bob, device1.userId()).path("device_keys").path(device1.userId()).has(device2.deviceId())).isFalse();
        assertThat(device2.client().get(CS + "/sync?timeout=0", device2.accessToken()).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        // logging in again with the same device id starts empty: no old inbox, no old keys
        MatrixTestClient.Response relogin = device1.client().post(CS + "/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", device1.userId()), "password", PASSWORD,
                "device_id", device2.deviceId()));
        assertThat(relogin.status()).as(relogin.raw()).isEqualTo(200);
        TestUser reborn = new TestUser(device1.userId(), device1.localpart(), relogin.text("access_token"), device2.deviceId(),
                device1.client());
        JsonNode rebornSync = syncOk(reborn, null);
        assertThat(toDeviceBodies(rebornSync)).isEmpty();
        assertThat(queryKeys(bob, device1.userId()).path("device_keys").path(device1.userId()).has(device2.deviceId())).isFalse();
    }
}
