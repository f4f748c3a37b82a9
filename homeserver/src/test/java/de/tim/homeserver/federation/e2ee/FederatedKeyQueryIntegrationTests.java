package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client {@code /keys/query} and {@code /keys/claim} for users of another server go over federation; device lists are cached. */
class FederatedKeyQueryIntegrationTests extends FederationE2eeTestSupport {

    @BeforeEach
    void setUp() {
        twoServersSharingARoom();
    }

    @Test
    void queryReachesTheRemoteServerOnceThenTheCacheAnswers() {
        long before = egressRequests(B, "/_matrix/federation/v1/user/keys/query");

        JsonNode first = queryKeys(alice, bob.userId());

        assertThat(first.path("failures").isEmpty()).as(first.toString()).isTrue();
        assertThat(first.path("device_keys").path(bob.userId()).path(bob.deviceId()).path("keys")
                .has("ed25519:" + bob.deviceId())).isTrue();
        assertThat(egressRequests(B, "/_matrix/federation/v1/user/keys/query")).isEqualTo(before + 1);

        JsonNode second = queryKeys(alice, bob.userId());
        assertThat(second.path("device_keys").path(bob.userId())).isEqualTo(first.path("device_keys").path(bob.userId()));
        assertThat(egressRequests(B, "/_matrix/federation/v1/user/keys/query")).isEqualTo(before + 1);

        // a user sharing no room with ours is not cached: asked every time
        TestUser carol = register(b(), uniqueLocalpart("carol"), false, "b-shared-secret");
        queryKeys(alice, carol.userId());
        queryKeys(alice, carol.userId());
        assertThat(egressRequests(B, "/_matrix/federation/v1/user/keys/query")).isEqualTo(before + 3);
    }

    @Test
    void claimGetsTheRemoteDevicesOneTimeKey() {
        MatrixTestClient.Response r = claim(alice, bob.userId(), bob.deviceId(), "signed_curve25519");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("failures").isEmpty()).isTrue();
        assertThat(r.body().path("one_time_keys").path(bob.userId()).path(bob.deviceId()).toString()).contains("otk-b");
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsReportedInFailures() throws Exception {
        FakeRemoteServer silent = new FakeRemoteServer("silent-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(silent);
        CountDownLatch release = new CountDownLatch(1);
        silent.on("/_matrix/federation/v1/user/keys/query", request -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode());
        });
        try {
            JsonNode q = alice.client().post(CS + "/keys/query", alice.accessToken(), Map.of("device_keys",
                    Map.of(bob.userId(), List.of(), "@x:" + silent.serverName(), List.of()))).body();
            assertThat(q.path("failures").has(silent.serverName())).as(q.toString()).isTrue();
            assertThat(q.path("device_keys").path(bob.userId()).has(bob.deviceId())).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void unreachableServersAreReportedInFailures() {
        JsonNode q = alice.client().post(CS + "/keys/query", alice.accessToken(),
                Map.of("device_keys", Map.of(bob.userId(), List.of(), "@x:unreachable.example", List.of()))).body();
        assertThat(q.path("failures").has("unreachable.example")).isTrue();
        assertThat(q.path("device_keys").path(bob.userId()).has(bob.deviceId())).isTrue();

        MatrixTestClient.Response c = claim(alice, "@x:unreachable.example", "DEV", "signed_curve25519");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.body().path("failures").has("unreachable.example")).isTrue();
    }
}
