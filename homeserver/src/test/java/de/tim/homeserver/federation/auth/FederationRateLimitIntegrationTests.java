package de.tim.homeserver.federation.auth;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Requests of other servers are rate limited per origin: all authenticated federation requests, and more tightly
 * those that make this server build room state or use up one-time keys (join/knock handshakes, key claims).
 */
@TestPropertySource(properties = {
        HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.rate-limit.federation.per-second=0.001",
        "tim.homeserver.rate-limit.federation.burst-count=6",
        "tim.homeserver.rate-limit.federation-heavy.per-second=0.001",
        "tim.homeserver.rate-limit.federation-heavy.burst-count=2"})
class FederationRateLimitIntegrationTests extends RoomTestSupport {

    private TestUser alice;

    @BeforeEach
    void setUp() {
        alice = registerA("alice");
    }

    private FakeRemoteServer remote(String prefix) {
        FakeRemoteServer remote = new FakeRemoteServer(prefix + "-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        return remote;
    }

    private MatrixTestClient.Response profile(FakeRemoteServer remote) {
        return remote.request(a(), A, "GET", "/_matrix/federation/v1/query/profile?user_id=" + enc(alice.userId()), null);
    }

    @Test
    void eachOriginHasItsOwnBudget() {
        FakeRemoteServer busy = remote("busy");
        for (int i = 0; i < 6; i++) {
            assertThat(profile(busy).status()).isEqualTo(200);
        }
        MatrixTestClient.Response limited = profile(busy);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(limited.body().path("retry_after_ms").asLong()).isPositive();
        // every federation endpoint counts, not just the one used up
        assertThat(busy.request(a(), A, "GET", "/_matrix/federation/v1/user/devices/" + enc(alice.userId()), null).status())
                .isEqualTo(429);
        // another server is not affected
        assertThat(profile(remote("quiet")).status()).isEqualTo(200);
    }

    @Test
    void unauthenticatedRequestsDoNotUseAServersBudget() {
        FakeRemoteServer victim = remote("victim");
        for (int i = 0; i < 10; i++) {
            // claims the victim as origin, signed with another key: refused before the limiter
            MatrixTestClient.Response forged = a().withHeader("Authorization", victim.authorization(A, "GET",
                    "/_matrix/federation/v1/query/profile?user_id=" + enc(alice.userId()), null,
                    de.tim.matrix.crypto.SigningKey.generate("remote1")))
                    .send("GET", "/_matrix/federation/v1/query/profile?user_id=" + enc(alice.userId()), null, null);
            assertThat(forged.status()).isEqualTo(401);
        }
        assertThat(profile(victim).status()).isEqualTo(200);
    }

    @Test
    void joinHandshakesAndKeyClaimsHaveATighterBudget() {
        FakeRemoteServer joiner = remote("joiner");
        String roomId = createRoom(alice, map("preset", "public_chat"));
        String path = "/_matrix/federation/v1/make_join/" + enc(roomId) + "/" + enc("@eve:" + joiner.serverName()) + "?ver=10&ver=11";
        assertThat(joiner.request(a(), A, "GET", path, null).status()).isEqualTo(200);
        assertThat(joiner.request(a(), A, "GET", path, null).status()).isEqualTo(200);
        MatrixTestClient.Response third = joiner.request(a(), A, "GET", path, null);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        // the other heavy routes share the budget (a knock handshake, a key claim)
        assertThat(joiner.request(a(), A, "GET", "/_matrix/federation/v1/make_knock/" + enc(roomId) + "/"
                + enc("@eve:" + joiner.serverName()) + "?ver=10", null).status()).isEqualTo(429);
        assertThat(joiner.request(a(), A, "POST", "/_matrix/federation/v1/user/keys/claim",
                map("one_time_keys", map())).status()).isEqualTo(429);
        // light requests still pass
        assertThat(profile(joiner).status()).isEqualTo(200);
    }
}
