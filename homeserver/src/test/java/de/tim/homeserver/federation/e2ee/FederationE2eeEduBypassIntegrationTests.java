package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server only speaks for its own users: EDUs about users of other servers are ignored, to-device messages only
 * reach our own users and are queued once per message id. Device list updates we send form the chain that
 * {@code user/devices} continues.
 */
class FederationE2eeEduBypassIntegrationTests extends FederationE2eeTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger TXN = new AtomicInteger();

    private FakeRemoteServer remote;

    @BeforeEach
    void setUp() {
        twoServersSharingARoom();
        remote = new FakeRemoteServer("edu-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
    }

    private void sendEdus(ObjectNode... edus) {
        ObjectNode body = JSON.createObjectNode().put("origin", remote.serverName()).put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        ArrayNode list = body.putArray("edus");
        for (ObjectNode edu : edus) {
            list.add(edu);
        }
        MatrixTestClient.Response r = remote.request(a(), A, "PUT", "/_matrix/federation/v1/send/bp" + TXN.incrementAndGet(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    private static ObjectNode edu(String type, ObjectNode content) {
        ObjectNode edu = JSON.createObjectNode().put("edu_type", type);
        edu.set("content", content);
        return edu;
    }

    private ObjectNode toDevice(String sender, String messageId, String recipient, String deviceId, String marker) {
        ObjectNode content = JSON.createObjectNode().put("sender", sender).put("type", "m.room.encrypted").put("message_id", messageId);
        content.putObject("messages").putObject(recipient).putObject(deviceId).put("ciphertext", marker);
        return edu("m.direct_to_device", content);
    }

    @Test
    void toDeviceOnlyFromTheOriginsUsersToOurUsersAndOncePerMessageId() {
        String since = syncOk(alice, null).path("next_batch").asText();
        String eve = "@eve:" + remote.serverName();

        sendEdus(toDevice(bob.userId(), "m1", alice.userId(), alice.deviceId(), "forged-sender"),
                toDevice(eve, "m2", bob.userId(), bob.deviceId(), "not-ours"),
                toDevice(eve, "m3", alice.userId(), alice.deviceId(), "genuine"));
        JsonNode first = syncOk(alice, since);
        String events = first.path("to_device").path("events").toString();
        assertThat(events).contains("genuine").doesNotContain("forged-sender").doesNotContain("not-ours");

        // a replay of the same message in another transaction is not queued again
        sendEdus(toDevice(eve, "m3", alice.userId(), alice.deviceId(), "genuine"));
        JsonNode second = syncOk(alice, first.path("next_batch").asText());
        assertThat(second.path("to_device").path("events").toString()).doesNotContain("genuine");
    }

    @Test
    void deviceListSigningKeyAndPresenceUpdatesAboutOtherServersUsersAreIgnored() {
        // carol (b.test) shares the room with alice and never changes keys, so b.test itself sends nothing about her
        TestUser carol = register(b(), uniqueLocalpart("carol"), false, "b-shared-secret");
        MatrixTestClient.Response joined = join(carol, roomId);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        await().atMost(WAIT).until(() -> alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members",
                alice.accessToken()).body().path("joined").has(carol.userId()));
        JsonNode cachedBefore = queryKeys(alice, carol.userId());
        long resyncsBefore = egressRequests(B, "/_matrix/federation/v1/user/devices/" + enc(carol.userId()));
        long queriesBefore = egressRequests(B, "/_matrix/federation/v1/user/keys/query");
        String since = syncOk(alice, null).path("next_batch").asText();

        ObjectNode forgedDevice = JSON.createObjectNode().put("user_id", carol.userId()).put("device_id", "EVIL")
                .put("stream_id", 99);
        forgedDevice.putArray("prev_id");
        forgedDevice.putObject("keys").put("user_id", carol.userId()).put("device_id", "EVIL");
        SigningKey forgedMaster = SigningKey.generate("x");
        ObjectNode signing = JSON.createObjectNode().put("user_id", carol.userId());
        signing.set("master_key", crossSigningKey(carol.userId(), "master", forgedMaster));
        ObjectNode presence = JSON.createObjectNode();
        presence.putArray("push").addObject().put("user_id", carol.userId()).put("presence", "online")
                .put("status_msg", "forged status").put("last_active_ago", 10);
        sendEdus(edu("m.device_list_update", forgedDevice), edu("m.signing_key_update", signing), edu("m.presence", presence));

        JsonNode after = queryKeys(alice, carol.userId());
        assertThat(after.path("device_keys")).isEqualTo(cachedBefore.path("device_keys"));
        assertThat(after.path("device_keys").path(carol.userId()).has("EVIL")).isFalse();
        assertThat(after.path("master_keys").has(carol.userId())).isFalse();
        assertThat(egressRequests(B, "/_matrix/federation/v1/user/devices/" + enc(carol.userId()))).isEqualTo(resyncsBefore);
        assertThat(egressRequests(B, "/_matrix/federation/v1/user/keys/query")).isEqualTo(queriesBefore);
        assertThat(changed(syncOk(alice, since))).doesNotContain(carol.userId());
        assertThat(syncOk(alice, null).path("presence").toString()).doesNotContain("forged status");
    }

    @Test
    void deviceListUpdatesFormTheChainThatUserDevicesContinues() {
        // the remote server gets a member in a room of alice's
        String aliceRoom = createRoom(alice, map("preset", "public_chat"));
        String dave = "@dave:" + remote.serverName();
        remote.joinRoom(a(), A, aliceRoom, dave);
        List<JsonNode> updates = new CopyOnWriteArrayList<>();
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            try {
                JSON.readTree(request.body()).path("edus").forEach(e -> {
                    if (e.path("edu_type").asText().equals("m.device_list_update")
                            && e.path("content").path("user_id").asText().equals(alice.userId())) {
                        updates.add(e.path("content"));
                    }
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        long streamBefore = remote.request(a(), A, "GET", "/_matrix/federation/v1/user/devices/" + enc(alice.userId()), null)
                .body().path("stream_id").asLong();

        TestUser phone = newDeviceWithKeys(alice);
        TestUser tablet = newDeviceWithKeys(alice);

        await().atMost(WAIT).until(() -> updates.stream().map(u -> u.path("device_id").asText()).toList()
                .containsAll(List.of(phone.deviceId(), tablet.deviceId())));
        // at least once: an update may arrive twice (several instances share the database); receivers skip known stream ids
        java.util.TreeMap<Long, JsonNode> byStreamId = new java.util.TreeMap<>();
        updates.forEach(u -> byStreamId.putIfAbsent(u.path("stream_id").asLong(), u));
        long previous = streamBefore;
        for (JsonNode update : byStreamId.tailMap(streamBefore, false).values()) {
            long streamId = update.path("stream_id").asLong();
            assertThat(streamId).isGreaterThan(previous);
            if (previous > 0) {
                assertThat(update.path("prev_id").get(0).asLong()).isEqualTo(previous);
            }
            assertThat(update.path("keys").path("device_id").asText()).isEqualTo(update.path("device_id").asText());
            assertThat(update.has("device_display_name")).isFalse();
            previous = streamId;
        }
        JsonNode devices = remote.request(a(), A, "GET", "/_matrix/federation/v1/user/devices/" + enc(alice.userId()), null).body();
        assertThat(devices.path("stream_id").asLong()).isEqualTo(previous);
        assertThat(devices.path("devices").toString()).contains(phone.deviceId()).contains(tablet.deviceId());
    }
}
