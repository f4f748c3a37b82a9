package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.homeserver.federation.edu.ReliableEduSender;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * EDUs between a.test and b.test: to-device messages, device list updates, signing key updates and presence reach
 * the other server's users; a destination that is down gets its to-device messages when it is back.
 */
class FederationE2eeEduIntegrationTests extends FederationE2eeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger TXN = new AtomicInteger();

    @BeforeEach
    void setUp() {
        twoServersSharingARoom();
    }

    private MatrixTestClient.Response sendToDevice(TestUser sender, String type, Map<String, Object> messages) {
        return sender.client().put(CS + "/sendToDevice/" + enc(type) + "/td" + TXN.incrementAndGet(), sender.accessToken(),
                Map.of("messages", messages));
    }

    @Test
    void toDeviceMessageReachesTheRemoteDevicesSync() {
        String since = syncOk(bob, null).path("next_batch").asText();

        MatrixTestClient.Response sent = sendToDevice(alice, "m.room_key_request",
                Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("action", "request", "request_id", "r1"))));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);

        await().atMost(WAIT).until(() -> syncOk(bob, since).path("to_device").path("events").toString().contains("r1"));
        JsonNode event = syncOk(bob, since).path("to_device").path("events").get(0);
        assertThat(event.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(event.path("type").asText()).isEqualTo("m.room_key_request");
    }

    @Test
    void newRemoteDeviceAppearsInDeviceListsAndKeyQuery() {
        assertThat(queryKeys(alice, bob.userId()).path("device_keys").path(bob.userId()).size()).isEqualTo(1);
        String since = syncOk(alice, null).path("next_batch").asText();

        TestUser bobsPhone = newDeviceWithKeys(bob);

        await().atMost(WAIT).until(() -> changed(syncOk(alice, since)).contains(bob.userId()));
        await().atMost(WAIT).until(() -> queryKeys(alice, bob.userId()).path("device_keys").path(bob.userId())
                .has(bobsPhone.deviceId()));
        // and the device's deletion travels the same way
        MatrixTestClient.Response deleted = bob.client().delete(CS + "/devices/" + bobsPhone.deviceId(), bob.accessToken(),
                Map.of("auth", passwordAuth(bob, PASSWORD, null)));
        if (deleted.status() == 401) {
            deleted = bob.client().delete(CS + "/devices/" + bobsPhone.deviceId(), bob.accessToken(),
                    Map.of("auth", passwordAuth(bob, PASSWORD, deleted.text("session"))));
        }
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !queryKeys(alice, bob.userId()).path("device_keys").path(bob.userId())
                .has(bobsPhone.deviceId()));
    }

    @Test
    void crossSigningKeysReachTheOtherServer() {
        queryKeys(bob, alice.userId());
        String since = syncOk(bob, null).path("next_batch").asText();
        SigningKey master = SigningKey.generate("m");
        ObjectNode body = JSON.createObjectNode();
        body.set("master_key", crossSigningKey(alice.userId(), "master", master));
        body.set("self_signing_key", signWithPublicKeyId(crossSigningKey(alice.userId(), "self_signing",
                SigningKey.generate("s")), alice.userId(), master));
        MatrixTestClient.Response r = alice.client().post(CS + "/keys/device_signing/upload", alice.accessToken(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);

        await().atMost(WAIT).until(() -> changed(syncOk(bob, since)).contains(alice.userId()));
        await().atMost(WAIT).until(() -> queryKeys(bob, alice.userId()).path("master_keys").path(alice.userId()).path("keys")
                .has("ed25519:" + master.verifyKey().publicKeyBase64()));
        assertThat(queryKeys(bob, alice.userId()).path("self_signing_keys").has(alice.userId())).isTrue();
    }

    @Test
    void presenceOfTheRemoteUserAppears() {
        MatrixTestClient.Response r = alice.client().put(CS + "/presence/" + enc(alice.userId()) + "/status", alice.accessToken(),
                Map.of("presence", "online", "status_msg", "in der Sprechstunde"));
        assertThat(r.status()).isEqualTo(200);

        await().atMost(WAIT).until(() -> syncOk(bob, null).path("presence").path("events").toString()
                .contains("in der Sprechstunde"));
        JsonNode events = syncOk(bob, null).path("presence").path("events");
        assertThat(events.toString()).contains(alice.userId());
    }

    @Test
    void presenceForADestinationThatFailedOnceArrivesOnTheRetry() {
        FakeRemoteServer remote = new FakeRemoteServer("away-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        AtomicInteger presenceTransactions = new AtomicInteger();
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            JsonNode edus;
            try {
                edus = JSON.readTree(request.body()).path("edus");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            boolean presence = edus.toString().contains("\"m.presence\"");
            if (presence && presenceTransactions.incrementAndGet() == 1) {
                return new FakeRemoteServer.Answer(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"down\"}".getBytes());
            }
            edus.forEach(received::add);
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        String room = createRoom(alice, map("preset", "public_chat"));
        assertThat(remote.joinRoom(a(), A, room, "@erin:" + remote.serverName()).status()).isEqualTo(200);

        MatrixTestClient.Response r = alice.client().put(CS + "/presence/" + enc(alice.userId()) + "/status", alice.accessToken(),
                Map.of("presence", "online", "status_msg", "gleich zurück"));
        assertThat(r.status()).isEqualTo(200);

        // the first transaction with the change fails; the change is kept and sent again once the backoff is over
        await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.path("edu_type").asText().equals("m.presence")
                && e.path("content").path("push").toString().contains("gleich zurück")));
        assertThat(presenceTransactions.get()).isGreaterThanOrEqualTo(2);
        JsonNode push = received.stream().filter(e -> e.path("edu_type").asText().equals("m.presence")).findFirst().orElseThrow()
                .path("content").path("push").get(0);
        assertThat(push.path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(push.path("presence").asText()).isEqualTo("online");
        assertThat(push.path("last_active_ago").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Autowired
    private ReliableEduSender edus;

    @Autowired
    private DomainRegistry domains;

    @Test
    void edusForADestinationThatNeverComesBackAreDroppedAfterTheirMaximumAge() {
        FakeRemoteServer gone = new FakeRemoteServer("gone-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(gone);
        AtomicInteger calls = new AtomicInteger();
        gone.onPrefix("/_matrix/federation/v1/send/", request -> {
            calls.incrementAndGet();
            return new FakeRemoteServer.Answer(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"down\"}".getBytes());
        });
        assertThat(sendToDevice(alice, "m.room.encrypted", Map.of("@erin:" + gone.serverName(),
                Map.of("ERINDEVICE", Map.of("ciphertext", "opaque"))))).extracting(MatrixTestClient.Response::status).isEqualTo(200);
        await().atMost(WAIT).until(() -> calls.get() >= 1);

        // as the hourly retention pass does with a maximum age reached
        assertThat(edus.dropQueuedBefore(domains.byServerName(A).orElseThrow(), System.currentTimeMillis() + 1))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void destinationThatIsDownGetsTheToDeviceMessageWhenItIsBack() {
        FakeRemoteServer remote = new FakeRemoteServer("down-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        AtomicInteger calls = new AtomicInteger();
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            if (calls.incrementAndGet() <= 2) {
                return new FakeRemoteServer.Answer(503, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"down\"}".getBytes());
            }
            try {
                JSON.readTree(request.body()).path("edus").forEach(received::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        String dave = "@dave:" + remote.serverName();

        MatrixTestClient.Response sent = sendToDevice(alice, "m.room.encrypted",
                Map.of(dave, Map.of("DAVEDEVICE", Map.of("ciphertext", "opaque"))));
        assertThat(sent.status()).isEqualTo(200);

        await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.path("edu_type").asText().equals("m.direct_to_device")));
        JsonNode edu = received.stream().filter(e -> e.path("edu_type").asText().equals("m.direct_to_device")).findFirst()
                .orElseThrow();
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        assertThat(edu.path("content").path("sender").asText()).isEqualTo(alice.userId());
        assertThat(edu.path("content").path("message_id").asText()).isNotEmpty();
        assertThat(edu.path("content").path("messages").path(dave).path("DAVEDEVICE").path("ciphertext").asText())
                .isEqualTo("opaque");
    }
}
