package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Typing and read receipts of a remote user ({@link RemoteEphemeral}, from an inbound transaction) received by one
 * instance wake a sync parked on the other instance. Two instances on one MongoDB and one Kafka; the sync re-check
 * interval is 10 minutes and the parked sync's timeout 5 minutes, so only a wake-up can answer within
 * {@value #WAKE_BOUND_S} s (as in {@link SyncSignalsIntegrationTests}).
 */
class RemoteEphemeralSignalsIntegrationTests {

    private static final String SECRET = "remote-ephemeral-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final String DOMAIN = "re.test";
    private static final int WAKE_BOUND_S = 60;
    private static FakeRemoteServer remote;
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        remote = new FakeRemoteServer("remote-eph-" + System.nanoTime() % 100000 + ".test");
        pair = HomeserverPair.federating("remoteeph", DOMAIN, SECRET, c -> c.getBean(RoomEventWakeListener.class).isReady(),
                remote, "--tim.homeserver.rooms.sync-recheck-interval=600s");
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
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    private static MatrixTestClient.Response fed(String method, String uri, Object body) {
        return remote.request(pair.client(first), DOMAIN, method, uri, body);
    }

    /** Starts a long-poll of {@code user} on {@code context} (caught up first) and returns once it is parked there. */
    private static CompletableFuture<JsonNode> parkedSync(ConfigurableApplicationContext context, HomeserverPair.User user) {
        return ParkedSync.park(pair, context, user, sync -> sync.path("rooms").path("join").isEmpty());
    }

    private static void sendEdus(List<Map<String, Object>> edus) {
        MatrixTestClient.Response r = fed("PUT", "/_matrix/federation/v1/send/eph" + System.nanoTime(), Map.of("origin",
                remote.serverName(), "origin_server_ts", System.currentTimeMillis(), "pdus", List.of(), "edus", edus));
        ok(r);
    }

    @Test
    void remoteTypingAndReceiptsReceivedByOneInstanceWakeASyncOnTheOther() throws Exception {
        HomeserverPair.User alice = pair.register("alice");
        MatrixTestClient one = pair.client(first);
        MatrixTestClient.Response created = one.post(CS + "/createRoom", alice.token(), Map.of("preset", "public_chat"));
        ok(created);
        String roomId = created.text("room_id");
        String bob = "@bob:" + remote.serverName();
        remote.joinRoom(one, DOMAIN, roomId, bob);
        MatrixTestClient.Response sent = one.put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/t1", alice.token(),
                Map.of("msgtype", "m.text", "body", "hi bob"));
        ok(sent);

        CompletableFuture<JsonNode> typing = parkedSync(second, alice);
        sendEdus(List.of(Map.of("edu_type", "m.typing", "content", Map.of("room_id", roomId, "user_id", bob, "typing", true))));
        JsonNode typingSync = typing.get(WAKE_BOUND_S, TimeUnit.SECONDS);
        assertThat(typingSync.path("rooms").path("join").path(roomId).path("ephemeral").toString()).contains("m.typing")
                .contains(bob);

        CompletableFuture<JsonNode> receipt = parkedSync(second, alice);
        sendEdus(List.of(Map.of("edu_type", "m.receipt", "content", Map.of(roomId, Map.of("m.read", Map.of(bob, Map.of(
                "event_ids", List.of(sent.text("event_id")), "data", Map.of("ts", System.currentTimeMillis()))))))));
        JsonNode receiptSync = receipt.get(WAKE_BOUND_S, TimeUnit.SECONDS);
        assertThat(receiptSync.path("rooms").path("join").path(roomId).path("ephemeral").toString()).contains("m.receipt")
                .contains(bob);
    }
}
