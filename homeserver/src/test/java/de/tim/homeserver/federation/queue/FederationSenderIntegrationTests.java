package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Outbound transactions: events of a room reach the other servers in it (a.test and b.test talk through the
 * egress listener), and a destination that fails is retried with backoff and catches up.
 */
class FederationSenderIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private List<String> bodies(TestUser user, String roomId) {
        JsonNode chunk = messages(user, roomId, "?dir=b&limit=50").path("chunk");
        List<String> bodies = new java.util.ArrayList<>();
        chunk.forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(0, e.path("content").path("body").asText());
            }
        });
        return bodies;
    }

    @Test
    void messagesFlowBothWaysAndLeavesArrive() {
        String roomId = createRoom(bob, map("preset", "public_chat"));
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(roomId) + "?server_name=" + B,
                alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);

        send(bob, roomId, "from b");
        await().atMost(WAIT).until(() -> bodies(alice, roomId).contains("from b"));
        send(alice, roomId, "from a");
        await().atMost(WAIT).until(() -> bodies(bob, roomId).contains("from a"));
        send(bob, roomId, "from b again");
        await().atMost(WAIT).until(() -> bodies(alice, roomId).equals(List.of("from b", "from a", "from b again")));
        assertThat(bodies(bob, roomId)).containsExactly("from b", "from a", "from b again");

        // the message reaches a long-polling sync on the other side
        MatrixTestClient.Response initial = sync(alice, "?timeout=0");
        String since = initial.text("next_batch");
        send(bob, roomId, "wake up");
        MatrixTestClient.Response woken = sync(alice, "?timeout=20000&since=" + since);
        assertThat(woken.body().path("rooms").path("join").path(roomId).path("timeline").toString()).contains("wake up");

        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/leave", alice.accessToken(), map()).status())
                .isEqualTo(200);
        await().atMost(WAIT).until(() -> !bob.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members",
                bob.accessToken()).body().path("joined").has(alice.userId()));
    }

    @Test
    void failingDestinationIsRetriedAndCatchesUp() {
        FakeRemoteServer remote = new FakeRemoteServer("flaky-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        AtomicInteger calls = new AtomicInteger();
        List<String> received = new CopyOnWriteArrayList<>();
        TestUser carol = registerA("carol");
        String roomId = createRoom(carol, map("preset", "public_chat"));
        String remoteUser = "@dave:" + remote.serverName();
        remote.joinRoom(a(), A, roomId, remoteUser);
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            if (calls.incrementAndGet() <= 2) {
                return new FakeRemoteServer.Answer(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"down\"}".getBytes());
            }
            try {
                JSON.readTree(request.body()).path("pdus").forEach(p -> received.add(p.path("content").path("body").asText("")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        send(carol, roomId, "one");
        send(carol, roomId, "two");
        await().atMost(WAIT).until(() -> received.containsAll(List.of("one", "two")));
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        // the remote's own join is not echoed back to it
        assertThat(received).doesNotContain("");
    }
}
