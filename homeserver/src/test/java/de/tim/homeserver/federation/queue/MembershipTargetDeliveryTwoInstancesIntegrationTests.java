package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances serving one domain ({@link HomeserverPair}): an invite made through one instance and its rescission
 * through the other, a knock received by one and denied through the other; either way the kick reaches the target
 * user's server, which has no joined member in the room.
 */
class MembershipTargetDeliveryTwoInstancesIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "oob-pair-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final String DOMAIN = "oob.test";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    private static FakeRemoteServer remote;
    private static HomeserverPair pair;

    @BeforeAll
    static void start() {
        remote = new FakeRemoteServer("oob-target-" + System.nanoTime() % 100000 + ".test");
        remote.onPrefix("/_matrix/federation/v2/invite/", request -> {
            ObjectNode event = (ObjectNode) read(request.body()).get("event");
            ObjectNode answer = JSON.createObjectNode();
            answer.set("event", EventSigning.addSignature(event, RoomVersion.V10, ServerName.parse(remote.serverName()),
                    remote.key()));
            return FakeRemoteServer.Answer.json(200, answer);
        });
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            read(request.body()).path("pdus").forEach(RECEIVED::add);
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        pair = HomeserverPair.federating("oobpair", DOMAIN, SECRET, ConfigurableApplicationContext::isRunning, remote,
                "--tim.homeserver.federation.retry-initial=200ms", "--tim.homeserver.federation.retry-max=2s");
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    private static JsonNode awaitReceived(String userId, String membership) {
        return await().atMost(WAIT).until(() -> RECEIVED.stream()
                .filter(p -> userId.equals(p.path("state_key").asText())
                        && membership.equals(p.path("content").path("membership").asText()))
                .findFirst().orElse(null), p -> p != null);
    }

    @Test
    void kickThroughTheOtherInstanceReachesTheTargetsServer() {
        // a moderator, registered through the first instance
        String token = pair.register("mod").token();
        MatrixTestClient one = pair.client(pair.first());
        MatrixTestClient two = pair.client(pair.second());
        MatrixTestClient.Response created = one.post(CS + "/createRoom", token, Map.of("preset", "private_chat",
                "room_version", "10"));
        ok(created);
        String roomId = created.text("room_id");

        // invite through the first instance, rescinded through the second
        String carol = "@carol:" + remote.serverName();
        ok(one.post(CS + "/rooms/" + enc(roomId) + "/invite", token, Map.of("user_id", carol)));
        ok(two.post(CS + "/rooms/" + enc(roomId) + "/kick", token, Map.of("user_id", carol)));
        assertThat(awaitReceived(carol, "leave").path("room_id").asText()).isEqualTo(roomId);

        // a knock received by the first instance, denied through the second
        ok(two.put(CS + "/rooms/" + enc(roomId) + "/state/m.room.join_rules/", token, Map.of("join_rule", "knock")));
        String erin = "@erin:" + remote.serverName();
        MatrixTestClient.Response template = remote.request(one, DOMAIN, "GET", "/_matrix/federation/v1/make_knock/"
                + enc(roomId) + "/" + enc(erin) + "?ver=10", null);
        ok(template);
        ObjectNode knock = remote.signEvent((ObjectNode) template.body().get("event"), RoomVersion.V10);
        String knockId = Pdu.fromJson(knock.deepCopy(), RoomVersion.V10).eventId().value();
        ok(remote.request(one, DOMAIN, "PUT", "/_matrix/federation/v1/send_knock/" + enc(roomId) + "/" + enc(knockId), knock));
        ok(two.post(CS + "/rooms/" + enc(roomId) + "/kick", token, Map.of("user_id", erin)));
        assertThat(awaitReceived(erin, "leave").path("auth_events").toString()).contains(knockId);
    }
}
