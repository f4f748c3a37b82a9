package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.TestGate;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances serving one domain, both running the PDU sender over the shared queue: while one instance's
 * transaction to a slow destination is in flight (held by the remote), the other does not send the same batch again
 * ({@link DestinationLeases}); each transaction reaches the destination once.
 */
class FederationSenderInstancesIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sender-instances-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final String DOMAIN = "senders.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Txn ids of the transactions with PDUs the remote received, and the bodies of their PDUs. */
    private static final List<String> TXNS = new CopyOnWriteArrayList<>();
    private static final List<String> BODIES = new CopyOnWriteArrayList<>();
    private static final AtomicReference<TestGate> HOLD_NEXT = new AtomicReference<>();
    private static FakeRemoteServer remote;
    private static HomeserverPair pair;

    @BeforeAll
    static void start() {
        remote = new FakeRemoteServer("senders-remote-" + System.nanoTime() % 100000 + ".test");
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            JsonNode pdus;
            try {
                pdus = JSON.readTree(request.body()).path("pdus");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (!pdus.isEmpty()) {
                TXNS.add(request.pathAndQuery());
                pdus.forEach(p -> BODIES.add(p.path("content").path("body").asText("")));
                TestGate gate = HOLD_NEXT.getAndSet(null);
                if (gate != null) {
                    gate.hold();
                }
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("pdus", JSON.createObjectNode()));
        });
        pair = HomeserverPair.federating("senderinstances", DOMAIN, SECRET, c -> true, remote);
    }

    @AfterAll
    static void stop() {
        TestGate gate = HOLD_NEXT.getAndSet(null);
        if (gate != null) {
            gate.release();
        }
        if (pair != null) {
            pair.close();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static MatrixTestClient.Response ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static void send(MatrixTestClient via, String token, String roomId, String body) {
        ok(via.put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(), token,
                Map.of("msgtype", "m.text", "body", body)));
    }

    @Test
    void aTransactionInFlightOnOneInstanceIsNotSentAgainByTheOther() throws Exception {
        MatrixTestClient one = pair.client(pair.first());
        MatrixTestClient two = pair.client(pair.second());
        String token = pair.register("carol").token();
        String roomId = ok(one.post(CS + "/createRoom", token, Map.of("preset", "public_chat"))).text("room_id");
        remote.joinRoom(one, DOMAIN, roomId, "@dave:" + remote.serverName());

        TestGate gate = new TestGate();
        HOLD_NEXT.set(gate);
        send(one, token, roomId, "slow first");
        gate.awaitHeld(WAIT);
        // both instances read the queue at least every second: the other one would send the same batch meanwhile
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> TXNS.size() == 1);
        gate.release();

        send(two, token, roomId, "then second");
        await().atMost(WAIT).until(() -> BODIES.contains("slow first") && BODIES.contains("then second"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> TXNS.stream().distinct().count() == TXNS.size());
        assertThat(BODIES.stream().filter("slow first"::equals).count()).isEqualTo(1);
        assertThat(BODIES.stream().filter("then second"::equals).count()).isEqualTo(1);
    }
}
