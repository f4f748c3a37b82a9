package de.tim.homeserver.api.client.todevice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** {@code PUT /sendToDevice} and delivery in {@code /sync} {@code to_device} over HTTP. */
class ToDeviceIntegrationTests extends RoomTestSupport {

    private MatrixTestClient.Response sendToDevice(TestUser from, String type, String txn, Object messages) {
        return from.client().put(CS + "/sendToDevice/" + enc(type) + "/" + enc(txn), from.accessToken(), Map.of("messages", messages));
    }

    private JsonNode syncOk(TestUser user, String since) {
        MatrixTestClient.Response r = sync(user, since == null ? "?timeout=0" : "?timeout=0&since=" + enc(since));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static List<String> bodies(JsonNode sync) {
        return sync.path("to_device").path("events").valueStream().map(e -> e.path("content").path("body").asText()).toList();
    }

    @Test
    void deliversUntilASyncAcknowledgesThenNeverAgain() {
        TestUser alice = registerA("td-alice");
        TestUser bob = registerA("td-bob");
        String t0 = syncOk(bob, null).path("next_batch").asText();

        assertThat(sendToDevice(alice, "m.test", "txn1", Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("body", "one"))))
                .status()).isEqualTo(200);
        assertThat(sendToDevice(alice, "m.test", "txn2", Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("body", "two"))))
                .status()).isEqualTo(200);

        JsonNode first = syncOk(bob, t0);
        assertThat(bodies(first)).containsExactly("one", "two");
        JsonNode event = first.path("to_device").path("events").get(0);
        assertThat(event.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(event.path("type").asText()).isEqualTo("m.test");
        // the response was "lost": the same since token gets the messages again
        JsonNode retry = syncOk(bob, t0);
        assertThat(bodies(retry)).containsExactly("one", "two");
        // acknowledged by the next since token: gone
        JsonNode after = syncOk(bob, retry.path("next_batch").asText());
        assertThat(bodies(after)).isEmpty();
        assertThat(bodies(syncOk(bob, t0))).isEmpty();
    }

    @Test
    void transactionsAreIdempotentAndWildcardReachesEveryDevice() {
        TestUser alice = registerA("td-alice2");
        TestUser bob = registerA("td-bob2");
        TestUser bob2 = secondDevice(bob);
        String t1 = syncOk(bob, null).path("next_batch").asText();
        String t2 = syncOk(bob2, null).path("next_batch").asText();
        for (int i = 0; i < 2; i++) {
            assertThat(sendToDevice(alice, "m.test", "same", Map.of(bob.userId(), Map.of("*", Map.of("body", "all")))).status())
                    .isEqualTo(200);
        }
        assertThat(bodies(syncOk(bob, t1))).containsExactly("all");
        assertThat(bodies(syncOk(bob2, t2))).containsExactly("all");
        // the same txn id of another device is another transaction
        TestUser alice2 = secondDevice(alice);
        sendToDevice(alice2, "m.test", "same", Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("body", "again"))));
        assertThat(bodies(syncOk(bob, t1))).containsExactly("all", "again");
    }

    @Test
    void aWaitingSyncIsWokenByAMessage() throws Exception {
        TestUser alice = registerA("td-alice3");
        TestUser bob = registerA("td-bob3");
        String t0 = syncOk(bob, null).path("next_batch").asText();
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(
                () -> sync(bob, "?timeout=30000&since=" + enc(t0)).body());
        sendToDevice(alice, "m.test", "wake", Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("body", "wake up"))));
        assertThat(bodies(waiting.get(20, TimeUnit.SECONDS))).containsExactly("wake up");
    }

    @Test
    void rejectsMalformedRequests() {
        TestUser alice = registerA("td-bad");
        assertThat(alice.client().put(CS + "/sendToDevice/m.test/t1", alice.accessToken(), Map.of()).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(sendToDevice(alice, "m.test", "t2", List.of()).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(sendToDevice(alice, "m.test", "t3", Map.of(alice.userId(), "x")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(sendToDevice(alice, "m.test", "t4", Map.of(alice.userId(), Map.of("D", "x"))).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(sendToDevice(alice, "m.test", "t5", Map.of("nouser", Map.of("D", Map.of()))).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.client().put(CS + "/sendToDevice/m.test/t6", null, Map.of("messages", Map.of())).errcode())
                .isEqualTo("M_MISSING_TOKEN");
        // a rejected request does not consume its txn id
        assertThat(sendToDevice(alice, "m.test", "t5", Map.of(alice.userId(), Map.of(alice.deviceId(), Map.of("body", "ok"))))
                .status()).isEqualTo(200);
        assertThat(bodies(syncOk(alice, null))).containsExactly("ok");
    }
}
