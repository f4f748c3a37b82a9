package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.HomeserverPair.User;
import de.tim.homeserver.MatrixTestClient;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Wake-ups of streams other than room events: two instances on one MongoDB and one Kafka. Each test parks a
 * {@code /sync} with a 5 minute timeout (the notifier counts it), then writes, and waits at most
 * {@value #WAKE_BOUND_S} s for the answer; the re-check interval is 10 minutes, so only a wake-up can answer
 * within that bound — on the same instance ({@link SyncSignals} wakes local waiters after the write) or on the
 * other one ({@code homeserver-sync-signals}). (A sync that merely timed out would carry the change too, which
 * is why the timeout is longer than the bound.)
 */
class SyncSignalsIntegrationTests {

    private static final String SECRET = "signals-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final String DOMAIN = "w.test";
    private static final AtomicInteger TXN = new AtomicInteger();
    private static final int WAKE_BOUND_S = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        pair = HomeserverPair.start("signals", DOMAIN, SECRET, c -> c.getBean(RoomEventWakeListener.class).isReady(),
                "--tim.homeserver.rate-limit.enabled=false",
                "--tim.homeserver.password.argon2-memory-kib=1024",
                "--tim.homeserver.password.argon2-iterations=1",
                "--tim.homeserver.rooms.sync-recheck-interval=600s");
        first = pair.first();
        second = pair.second();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    /** Starts a long-poll of {@code user} on {@code context} (caught up first) and returns once it is parked there. */
    private static CompletableFuture<JsonNode> parkedSync(ConfigurableApplicationContext context, User user) {
        return ParkedSync.park(pair, context, user, SyncSignalsIntegrationTests::quiet);
    }

    /** An incremental sync with nothing in it. */
    private static boolean quiet(JsonNode sync) {
        return sync.path("rooms").path("join").isEmpty() && sync.path("rooms").path("invite").isEmpty()
                && sync.path("rooms").path("leave").isEmpty() && sync.path("to_device").path("events").isEmpty()
                && sync.path("account_data").path("events").isEmpty() && sync.path("presence").path("events").isEmpty()
                && sync.path("device_lists").path("changed").isEmpty() && sync.path("device_lists").path("left").isEmpty();
    }

    private static JsonNode woken(CompletableFuture<JsonNode> waiting) throws Exception {
        return waiting.get(WAKE_BOUND_S, TimeUnit.SECONDS);
    }

    @Test
    void toDeviceMessageSentThroughOneInstanceWakesASyncOnTheOther() throws Exception {
        User alice = pair.register("td-alice");
        User bob = pair.register("td-bob");
        CompletableFuture<JsonNode> waiting = parkedSync(second, bob);
        ok(pair.client(first).put(CS + "/sendToDevice/m.test.ping/t" + TXN.incrementAndGet(), alice.token(),
                Map.of("messages", Map.of(bob.id(), Map.of(bob.deviceId(), Map.of("ping", "across"))))));
        JsonNode sync = woken(waiting);
        assertThat(sync.path("to_device").path("events")).hasSize(1);
        assertThat(sync.path("to_device").path("events").get(0).path("sender").asText()).isEqualTo(alice.id());
        assertThat(sync.path("to_device").path("events").get(0).path("content").path("ping").asText()).isEqualTo("across");
    }

    @Test
    void accountDataWakesASyncOnTheSameInstance() throws Exception {
        User alice = pair.register("ad-local");
        CompletableFuture<JsonNode> waiting = parkedSync(second, alice);
        ok(pair.client(second).put(CS + "/user/" + enc(alice.id()) + "/account_data/org.example.local", alice.token(),
                Map.of("n", 1)));
        assertThat(woken(waiting).path("account_data").path("events").toString()).contains("org.example.local");
    }

    @Test
    void accountDataWrittenThroughOneInstanceWakesASyncOnTheOther() throws Exception {
        User alice = pair.register("ad-remote");
        CompletableFuture<JsonNode> waiting = parkedSync(second, alice);
        ok(pair.client(first).put(CS + "/user/" + enc(alice.id()) + "/account_data/org.example.remote", alice.token(),
                Map.of("n", 2)));
        assertThat(woken(waiting).path("account_data").path("events").toString()).contains("org.example.remote");
    }

    @Test
    void presenceWakesASyncOnTheSameInstanceAndOnTheOther() throws Exception {
        User alice = pair.register("pr-alice");
        CompletableFuture<JsonNode> local = parkedSync(first, alice);
        ok(pair.client(first).put(CS + "/presence/" + enc(alice.id()) + "/status", alice.token(), Map.of("presence", "online")));
        assertThat(woken(local).path("presence").path("events").toString()).contains("online");

        CompletableFuture<JsonNode> remote = parkedSync(second, alice);
        ok(pair.client(first).put(CS + "/presence/" + enc(alice.id()) + "/status", alice.token(),
                Map.of("presence", "unavailable", "status_msg", "away")));
        assertThat(woken(remote).path("presence").path("events").toString()).contains("unavailable");
    }

    @Test
    void deviceListChangeThroughOneInstanceWakesARoomPartnersSyncOnTheOther() throws Exception {
        User alice = pair.register("dl-alice");
        User bob = pair.register("dl-bob");
        MatrixTestClient one = pair.client(first);
        MatrixTestClient.Response room = one.post(CS + "/createRoom", alice.token(), Map.of("preset", "private_chat",
                "invite", java.util.List.of(bob.id())));
        ok(room);
        ok(one.post(CS + "/join/" + enc(room.text("room_id")), bob.token(), Map.of()));
        CompletableFuture<JsonNode> waiting = parkedSync(second, bob);
        // new device keys of alice are a device list change
        SigningKey key = SigningKey.generate(alice.deviceId());
        ObjectNode keys = JSON.createObjectNode().put("user_id", alice.id()).put("device_id", alice.deviceId());
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + alice.deviceId(), "curve" + alice.deviceId())
                .put("ed25519:" + alice.deviceId(), key.verifyKey().publicKeyBase64());
        ok(one.post(CS + "/keys/upload", alice.token(), Map.of("device_keys", JsonSigning.sign(keys, alice.id(), key))));
        assertThat(woken(waiting).path("device_lists").path("changed").toString()).contains(alice.id());
    }

    @Test
    void typingAndReceiptsThroughOneInstanceWakeARoomPartnersSyncOnTheOther() throws Exception {
        User alice = pair.register("ep-alice");
        User bob = pair.register("ep-bob");
        MatrixTestClient one = pair.client(first);
        MatrixTestClient.Response room = one.post(CS + "/createRoom", alice.token(), Map.of("preset", "private_chat",
                "invite", java.util.List.of(bob.id())));
        ok(room);
        String roomId = room.text("room_id");
        ok(one.post(CS + "/join/" + enc(roomId), bob.token(), Map.of()));
        MatrixTestClient.Response sent = one.put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/t" + TXN.incrementAndGet(),
                alice.token(), Map.of("msgtype", "m.text", "body", "hi"));
        ok(sent);

        CompletableFuture<JsonNode> typing = parkedSync(second, bob);
        ok(one.put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.id()), alice.token(),
                Map.of("typing", true, "timeout", 30000)));
        assertThat(woken(typing).path("rooms").path("join").path(roomId).path("ephemeral").toString()).contains("m.typing")
                .contains(alice.id());

        CompletableFuture<JsonNode> receipt = parkedSync(second, bob);
        ok(one.post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(sent.text("event_id")), alice.token(), Map.of()));
        assertThat(woken(receipt).path("rooms").path("join").path(roomId).path("ephemeral").toString()).contains("m.receipt");
    }
}
