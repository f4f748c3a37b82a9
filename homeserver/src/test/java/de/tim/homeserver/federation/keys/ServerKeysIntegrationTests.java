package de.tim.homeserver.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.keys.ServerKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code /_matrix/key/v2/*}: own keys, notary queries, remote fetching through the egress with caching. */
class ServerKeysIntegrationTests extends HomeserverIntegrationTest {

    private static final AtomicInteger REMOTES = new AtomicInteger();

    @Autowired
    ServerKeyStore store;
    @Autowired
    DomainRegistry registry;

    private FakeRemoteServer remote() {
        FakeRemoteServer remote = new FakeRemoteServer("remote-" + REMOTES.incrementAndGet() + "-" + System.nanoTime() % 10000 + ".test");
        EGRESS.register(remote);
        return remote;
    }

    private Domain domainA() {
        return registry.byServerName(A).orElseThrow();
    }

    @Test
    void ownKeysAreSelfSignedAndValidForADay() {
        long before = System.currentTimeMillis();
        MatrixTestClient.Response response = a().get("/_matrix/key/v2/server", null);
        assertThat(response.status()).isEqualTo(200);
        ServerKeys keys = ServerKeys.parseAndVerify((ObjectNode) response.body(), ServerName.parse(A));
        assertThat(keys.verifyKeys()).containsOnlyKeys(domainA().signingKey().keyId());
        assertThat(keys.validUntilTs()).isBetween(before + 86_000_000L, System.currentTimeMillis() + 86_400_000L);
        // each domain publishes its own key
        MatrixTestClient.Response b = b().get("/_matrix/key/v2/server", null);
        assertThat(b.body().path("server_name").asText()).isEqualTo(B);
        assertThat(b.body().path("verify_keys").properties().iterator().next().getValue().path("key").asText())
                .isNotEqualTo(keys.verifyKeys().values().iterator().next().publicKeyBase64());
    }

    @Test
    void notaryFetchesRemoteKeysThroughTheEgressOnceAndCountersigns() {
        FakeRemoteServer remote = remote();
        Map<String, Object> query = Map.of("server_keys", Map.of(remote.serverName(), Map.of()));
        MatrixTestClient.Response first = a().post("/_matrix/key/v2/query", null, query);
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        JsonNode answer = first.body().path("server_keys").get(0);
        ServerKeys keys = ServerKeys.parseAndVerify((ObjectNode) answer, ServerName.parse(remote.serverName()));
        assertThat(keys.verifyKeys().get(remote.key().keyId())).isEqualTo(remote.key().verifyKey());
        assertThat(JsonSigning.verify((ObjectNode) answer, A, domainA().signingKey().verifyKey())).isTrue();
        assertThat(remote.keyFetches()).isEqualTo(1);
        assertThat(EGRESS.requests()).anySatisfy(r -> {
            assertThat(r.uri().toString()).isEqualTo("http://" + remote.serverName() + "/_matrix/key/v2/server");
            assertThat(r.headers().getFirst("X-Tim-Proxy-Auth")).isEqualTo(PROXY_SECRET);
        });

        // cached in MongoDB: GET form, no second fetch
        MatrixTestClient.Response second = a().get("/_matrix/key/v2/query/" + remote.serverName(), null);
        assertThat(second.body().path("server_keys")).hasSize(1);
        assertThat(remote.keyFetches()).isEqualTo(1);

        // asking for keys valid beyond the cached valid_until_ts fetches again
        long later = System.currentTimeMillis() + 2 * 3_600_000L;
        MatrixTestClient.Response third = a().get("/_matrix/key/v2/query/" + remote.serverName()
                + "?minimum_valid_until_ts=" + later, null);
        assertThat(third.body().path("server_keys")).hasSize(1);
        assertThat(remote.keyFetches()).isEqualTo(2);
    }

    @Test
    void notaryLeavesOutUnreachableServersAndRejectsBadQueries() {
        MatrixTestClient.Response response = a().post("/_matrix/key/v2/query", null,
                Map.of("server_keys", Map.of("unreachable.test", Map.of("ed25519:x", Map.of()))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("server_keys")).isEmpty();

        assertThat(a().post("/_matrix/key/v2/query", null, Map.of("server_keys", "x")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().post("/_matrix/key/v2/query", null, Map.of("server_keys",
                Map.of("remote.test", Map.of("ed25519:x", Map.of("minimum_valid_until_ts", "soon"))))).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(a().get("/_matrix/key/v2/query/bad%20name", null).status()).isEqualTo(400);
    }

    @Test
    void remoteKeysCountOnlyUntilTheirValidUntilTs() {
        FakeRemoteServer remote = remote();
        long validUntil = System.currentTimeMillis() + 60_000;
        remote.validUntil(validUntil);
        ServerName name = ServerName.parse(remote.serverName());
        assertThat(store.find(domainA(), name, remote.key().keyId(), System.currentTimeMillis())).contains(remote.key().verifyKey());
        assertThat(store.find(domainA(), name, remote.key().keyId(), validUntil)).contains(remote.key().verifyKey());
        // an event after valid_until_ts is not verifiable with this key; the server was just asked, so no refetch
        assertThat(store.find(domainA(), name, remote.key().keyId(), validUntil + 1)).isEmpty();
        assertThat(store.find(domainA(), name, "ed25519:unknown", System.currentTimeMillis())).isEmpty();
        assertThat(remote.keyFetches()).isEqualTo(1);
    }

    @Test
    void rotatedKeysStayPublishedAsOldKeys() {
        Domain before = registry.byServerName(B).orElseThrow();
        long rotatedAt = System.currentTimeMillis();
        MatrixTestClient.Response rotated = b().withHeader("Authorization", "Bearer test-provisioning-secret")
                .post("/_tim/admin/v1/domains/" + B + "/rotate_signing_key", null, Map.of());
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        Domain after = registry.byServerName(B).orElseThrow();
        assertThat(after.signingKey().keyId()).isNotEqualTo(before.signingKey().keyId());

        ObjectNode published = (ObjectNode) b().get("/_matrix/key/v2/server", null).body();
        ServerKeys keys = ServerKeys.parseAndVerify(published, ServerName.parse(B));
        assertThat(keys.verifyKeys()).containsOnlyKeys(after.signingKey().keyId());
        assertThat(keys.oldVerifyKeys()).containsKey(before.signingKey().keyId());
        assertThat(keys.oldVerifyKeys().get(before.signingKey().keyId()).expiredTs()).isGreaterThanOrEqualTo(rotatedAt);

        // the old key verifies what was signed before it expired, not after
        ServerName b = ServerName.parse(B);
        assertThat(store.find(domainA(), b, before.signingKey().keyId(), rotatedAt - 1000)).contains(before.signingKey().verifyKey());
        assertThat(store.find(domainA(), b, before.signingKey().keyId(), System.currentTimeMillis() + 60_000)).isEmpty();
        assertThat(store.find(domainA(), b, after.signingKey().keyId(), System.currentTimeMillis())).contains(after.signingKey().verifyKey());
        // only admins rotate
        assertThat(b().post("/_tim/admin/v1/domains/" + B + "/rotate_signing_key", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void keysOfHostedDomainsNeedNoFetch() {
        Domain b = registry.byServerName(B).orElseThrow();
        assertThat(store.find(domainA(), ServerName.parse(B), b.signingKey().keyId(), System.currentTimeMillis()))
                .contains(b.signingKey().verifyKey());
    }
}
