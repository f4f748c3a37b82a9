package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /keys/query} asks all other servers at once: two servers that each answer only once the other one was asked
 * too are both answered, and a server that does not answer lands in {@code failures} when the request's
 * {@code timeout} is over, while it still holds the request.
 */
class ConcurrentKeyQueryIntegrationTests extends FederationE2eeTestSupport {

    private static final String QUERY = "/_matrix/federation/v1/user/keys/query";

    private TestUser alice;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("concurrent-keys");
    }

    @Test
    void serversAreAskedAtOnceAndASilentOneEndsInFailuresWithinTheTimeout() throws Exception {
        long n = System.nanoTime() % 100000;
        FakeRemoteServer first = new FakeRemoteServer("first-" + n + ".test");
        FakeRemoteServer second = new FakeRemoteServer("second-" + n + ".test");
        FakeRemoteServer silent = new FakeRemoteServer("silent-" + n + ".test");
        String firstUser = "@erika:" + first.serverName();
        String secondUser = "@jonas:" + second.serverName();
        // each answers only after both were asked: asked one after another, the first would wait past the timeout
        CountDownLatch bothAsked = new CountDownLatch(2);
        first.on(QUERY, request -> keysOnceBothAsked(bothAsked, firstUser));
        second.on(QUERY, request -> keysOnceBothAsked(bothAsked, secondUser));
        CountDownLatch release = new CountDownLatch(1);
        silent.on(QUERY, request -> {
            await(release);
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode());
        });
        EGRESS.register(first).register(second).register(silent);
        try {
            MatrixTestClient.Response r = alice.client().post(CS + "/keys/query", alice.accessToken(), Map.of(
                    "timeout", 5000, "device_keys", Map.of(
                            "@niemand:" + silent.serverName(), List.of(),
                            firstUser, List.of(),
                            secondUser, List.of(),
                            alice.userId(), List.of())));

            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            JsonNode answer = r.body();
            assertThat(answer.path("device_keys").path(firstUser).has("ERIKADEVICE")).as(answer.toString()).isTrue();
            assertThat(answer.path("device_keys").path(secondUser).has("JONASDEVICE")).as(answer.toString()).isTrue();
            assertThat(answer.path("device_keys").has(alice.userId())).isTrue();
            assertThat(answer.path("failures").has(silent.serverName())).as(answer.toString()).isTrue();
            assertThat(answer.path("failures").has(first.serverName())).isFalse();
            assertThat(answer.path("failures").has(second.serverName())).isFalse();
            // the answer came while the silent server still held its request: bounded by the timeout, not by that server
            assertThat(release.getCount()).isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void claimsGoToAllServersAtOnceToo() {
        long n = System.nanoTime() % 100000;
        FakeRemoteServer first = new FakeRemoteServer("claim-first-" + n + ".test");
        FakeRemoteServer second = new FakeRemoteServer("claim-second-" + n + ".test");
        CountDownLatch bothAsked = new CountDownLatch(2);
        for (FakeRemoteServer server : List.of(first, second)) {
            String userId = "@nutzer:" + server.serverName();
            server.on("/_matrix/federation/v1/user/keys/claim", request -> {
                bothAsked.countDown();
                await(bothAsked);
                ObjectNode body = JSON.createObjectNode();
                body.putObject("one_time_keys").putObject(userId).putObject("DEV").put("signed_curve25519:AAAA", "otk-" + userId);
                return FakeRemoteServer.Answer.json(200, body);
            });
        }
        EGRESS.register(first).register(second);

        MatrixTestClient.Response r = alice.client().post(CS + "/keys/claim", alice.accessToken(), Map.of("one_time_keys", Map.of(
                "@nutzer:" + first.serverName(), Map.of("DEV", "signed_curve25519"),
                "@nutzer:" + second.serverName(), Map.of("DEV", "signed_curve25519"))));

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("failures").isEmpty()).as(r.raw()).isTrue();
        assertThat(r.body().path("one_time_keys").toString()).contains("otk-@nutzer:" + first.serverName(),
                "otk-@nutzer:" + second.serverName());
    }

    @Test
    void aTimeoutThatIsNoNumberIsRefused() {
        for (Object timeout : List.of("10s", -1, 1.5)) {
            MatrixTestClient.Response r = alice.client().post(CS + "/keys/query", alice.accessToken(),
                    Map.of("timeout", timeout, "device_keys", Map.of(alice.userId(), List.of())));
            assertThat(r.status()).as("timeout %s: %s", timeout, r.raw()).isEqualTo(400);
            assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
        }
    }

    private static FakeRemoteServer.Answer keysOnceBothAsked(CountDownLatch bothAsked, String userId) {
        bothAsked.countDown();
        if (!await(bothAsked)) {
            return new FakeRemoteServer.Answer(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"asked alone\"}".getBytes());
        }
        String deviceId = userId.substring(1, userId.indexOf(':')).toUpperCase() + "DEVICE";
        ObjectNode body = JSON.createObjectNode();
        ObjectNode device = body.putObject("device_keys").putObject(userId).putObject(deviceId)
                .put("user_id", userId).put("device_id", deviceId);
        device.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2");
        device.putObject("keys").put("ed25519:" + deviceId, "key-" + deviceId);
        return FakeRemoteServer.Answer.json(200, body);
    }

    /** Waits for the latch (at most 30 s, far beyond the request's timeout); whether it opened. */
    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
