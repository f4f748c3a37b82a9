package de.tim.homeserver.e2ee.devicelists;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.stream.StreamProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Device list records older than the retention are pruned; a sync or {@code /keys/changes} whose token is older
 * than the pruned records gets every room partner as {@code changed} (the superset the spec allows), a newer token
 * the exact answer.
 */
class DeviceListPruningIntegrationTests extends HomeserverIntegrationTest {

    private static final String CS = "/_matrix/client/v3";

    @Autowired
    DeviceListPruning pruning;
    @Autowired
    DeviceListRepository repository;
    @Autowired
    StreamProperties properties;
    @Autowired
    DomainRegistry registry;

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode sync(TestUser user, String since) {
        MatrixTestClient.Response r = user.client().get(CS + "/sync?timeout=0" + (since == null ? "" : "&since=" + enc(since)),
                user.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    @Test
    void aTokenOlderThanThePrunedRecordsGetsEveryRoomPartner() {
        Domain domain = registry.byServerName(A).orElseThrow();
        TestUser alice = registerA("prune-a");
        TestUser bob = registerA("prune-b");
        TestUser carol = registerA("prune-c");
        TestUser admin = adminA();
        String roomId = alice.client().post(CS + "/createRoom", alice.accessToken(), Map.of("preset", "public_chat"))
                .text("room_id");
        assertThat(bob.client().post(CS + "/join/" + enc(roomId), bob.accessToken(), Map.of()).status()).isEqualTo(200);
        assertThat(carol.client().post(CS + "/join/" + enc(roomId), carol.accessToken(), Map.of()).status()).isEqualTo(200);
        String old = sync(alice, null).path("next_batch").asText();
        old = sync(alice, old).path("next_batch").asText();

        // bob's devices change, then the record is older than the retention and pruned
        String second = login(a(), bob.localpart(), PASSWORD).text("device_id");
        assertThat(a().delete("/_synapse/admin/v2/users/" + enc(bob.userId()) + "/devices/" + enc(second), admin.accessToken(),
                null).status()).isEqualTo(200);
        long future = System.currentTimeMillis() + properties.deviceListRetention().toMillis() + 60_000;
        assertThat(pruning.prune(domain, future)).isPositive();
        assertThat(repository.usersChanged(domain.database(), 0, Long.MAX_VALUE)).doesNotContain(bob.userId());

        // the old token: everyone alice shares a room with (carol changed nothing), and alice herself
        JsonNode stale = sync(alice, old);
        assertThat(texts(stale.path("device_lists").path("changed"))).contains(bob.userId(), carol.userId(), alice.userId());
        MatrixTestClient.Response changes = alice.client().get(CS + "/keys/changes?from=" + enc(old) + "&to="
                + enc(stale.path("next_batch").asText()), alice.accessToken());
        assertThat(changes.status()).as(changes.raw()).isEqualTo(200);
        assertThat(texts(changes.body().path("changed"))).contains(bob.userId(), carol.userId());

        // a token after the pruned records: the exact answer
        String fresh = stale.path("next_batch").asText();
        assertThat(texts(sync(alice, fresh).path("device_lists").path("changed"))).doesNotContain(bob.userId(), carol.userId());
        MatrixTestClient.Response exact = alice.client().get(CS + "/keys/changes?from=" + enc(fresh) + "&to=" + enc(fresh),
                alice.accessToken());
        assertThat(texts(exact.body().path("changed"))).isEmpty();
    }
}
