package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.keys.E2eeTestSupport;
import de.tim.matrix.crypto.SigningKey;

/** Two users on a.test and b.test that share a room (created on b.test, joined over federation) and have device keys. */
abstract class FederationE2eeTestSupport extends E2eeTestSupport {

    protected TestUser alice;
    protected TestUser bob;
    protected String roomId;

    protected void twoServersSharingARoom() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        uploadOk(alice, Map.of("device_keys", deviceKeys(alice, deviceKey(alice)), "one_time_keys", oneTimeKeys("a", 2)));
        uploadOk(bob, Map.of("device_keys", deviceKeys(bob, deviceKey(bob)), "one_time_keys", oneTimeKeys("b", 2)));
        roomId = createRoom(bob, map("preset", "public_chat"));
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(roomId) + "?server_name=" + B,
                alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
    }

    /** A second device of the user with uploaded device keys. */
    protected TestUser newDeviceWithKeys(TestUser user) {
        TestUser device = secondDevice(user);
        SigningKey key = deviceKey(device);
        uploadOk(device, Map.of("device_keys", deviceKeys(device, key)));
        return device;
    }

    protected JsonNode syncOk(TestUser user, String since) {
        MatrixTestClient.Response r = sync(user, since == null ? "?timeout=0" : "?timeout=0&since=" + since);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    protected static List<String> changed(JsonNode sync) {
        List<String> users = new ArrayList<>();
        sync.path("device_lists").path("changed").forEach(u -> users.add(u.asText()));
        return users;
    }

    /** Requests the egress saw to a path prefix at a destination. */
    protected static long egressRequests(String destination, String pathPrefix) {
        return EGRESS.requests().stream()
                .filter(r -> destination.equals(r.uri().getRawAuthority()) && r.uri().getRawPath().startsWith(pathPrefix)).count();
    }
}
