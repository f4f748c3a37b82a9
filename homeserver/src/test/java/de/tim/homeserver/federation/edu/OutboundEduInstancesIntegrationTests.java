package de.tim.homeserver.federation.edu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances serving one domain, both scanning the shared typing, receipt and presence streams: each change of a local user
 * reaches the remote server in the room once ({@link EduSendClaims}), whichever instance it was made on.
 */
class OutboundEduInstancesIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "edu-instances-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final String DOMAIN = "edus.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    private static FakeRemoteServer remote;
    private static HomeserverPair pair;

    @BeforeAll
    static void start() {
        remote = new FakeRemoteServer("edus-remote-" + System.nanoTime() % 100000 + ".test");
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            try {
                JSON.readTree(request.body()).path("edus").forEach(RECEIVED::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("pdus", JSON.createObjectNode()));
        });
        pair = HomeserverPair.federating("eduinstances", DOMAIN, SECRET, c -> true, remote);
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

    private static MatrixTestClient.Response ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static long typingEdus(String userId) {
        return RECEIVED.stream().filter(edu -> "m.typing".equals(edu.path("edu_type").asText())
                && userId.equals(edu.path("content").path("user_id").asText())
                && edu.path("content").path("typing").asBoolean()).count();
    }

    private static long receiptEdus(String roomId, String userId, String eventId) {
        return RECEIVED.stream().filter(edu -> "m.receipt".equals(edu.path("edu_type").asText())
                && edu.path("content").path(roomId).path("m.read").path(userId).path("event_ids").toString()
                        .contains(eventId)).count();
    }

    /** A user registered on the first instance, in a room the remote server's bob joined: user id, token, room id. */
    private static String[] aliceInARoomWithBob(MatrixTestClient one) {
        HomeserverPair.User alice = pair.register("alice");
        String roomId = ok(one.post(CS + "/createRoom", alice.token(), Map.of("preset", "public_chat"))).text("room_id");
        remote.joinRoom(one, DOMAIN, roomId, "@bob:" + remote.serverName());
        return new String[] {alice.id(), alice.token(), roomId};
    }

    private static long presenceEdus(String userId, String statusMessage) {
        return RECEIVED.stream().filter(edu -> "m.presence".equals(edu.path("edu_type").asText()))
                .flatMap(edu -> java.util.stream.StreamSupport.stream(edu.path("content").path("push").spliterator(), false))
                .filter(p -> userId.equals(p.path("user_id").asText()) && statusMessage.equals(p.path("status_msg").asText()))
                .count();
    }

    @Test
    void eachPresenceChangeIsSentByOneInstance() {
        MatrixTestClient one = pair.client(pair.first());
        MatrixTestClient two = pair.client(pair.second());
        String[] alice = aliceInARoomWithBob(one);
        String status = "Sprechstunde " + UUID.randomUUID().toString().substring(0, 8);

        ok(two.put(CS + "/presence/" + enc(alice[0]) + "/status", alice[1], Map.of("presence", "online", "status_msg", status)));
        await().atMost(WAIT).until(() -> presenceEdus(alice[0], status) >= 1);
        // both instances scan every second: a second copy would arrive within this time
        try {
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> presenceEdus(alice[0], status) == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("presence EDUs received: " + RECEIVED.stream()
                    .filter(edu -> "m.presence".equals(edu.path("edu_type").asText())).toList(), e);
        }
    }

    @Test
    void eachTypingAndReceiptChangeIsSentByOneInstance() {
        MatrixTestClient one = pair.client(pair.first());
        MatrixTestClient two = pair.client(pair.second());
        String[] user = aliceInARoomWithBob(one);
        String alice = user[0];
        String token = user[1];
        String roomId = user[2];
        String message = ok(one.put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/t1", token,
                Map.of("msgtype", "m.text", "body", "hi bob"))).text("event_id");

        ok(one.put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice), token, Map.of("typing", true, "timeout", 30000)));
        await().atMost(WAIT).until(() -> typingEdus(alice) >= 1);
        ok(two.post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(message), token, Map.of()));
        await().atMost(WAIT).until(() -> receiptEdus(roomId, alice, message) >= 1);

        // both instances scan every second: a second copy would arrive within this time
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> typingEdus(alice) == 1 && receiptEdus(roomId, alice, message) == 1);
    }
}
