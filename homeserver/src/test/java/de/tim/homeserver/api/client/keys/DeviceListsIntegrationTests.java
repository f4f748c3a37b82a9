package de.tim.homeserver.api.client.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

/** {@code device_lists}, key counts in {@code /sync} and {@code /keys/changes} over HTTP. */
class DeviceListsIntegrationTests extends E2eeTestSupport {

    private JsonNode syncOk(TestUser user, String since) {
        MatrixTestClient.Response r = sync(user, since == null ? "?timeout=0" : "?timeout=0&since=" + enc(since));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static String next(JsonNode sync) {
        return sync.path("next_batch").asText();
    }

    private static java.util.List<String> changed(JsonNode node) {
        return node.path("changed").valueStream().map(JsonNode::asText).toList();
    }

    @Test
    void keyUploadsOfRoomPartnersShowUpInSyncAndKeysChanges() {
        TestUser alice = registerA("dl-alice");
        TestUser bob = registerA("dl-bob");
        TestUser stranger = registerA("dl-stranger");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        String t0 = next(syncOk(bob, null));

        uploadOk(alice, Map.of("device_keys", deviceKeys(alice, deviceKey(alice))));
        uploadOk(stranger, Map.of("device_keys", deviceKeys(stranger, deviceKey(stranger))));

        JsonNode s1 = syncOk(bob, t0);
        assertThat(changed(s1.path("device_lists"))).contains(alice.userId()).doesNotContain(stranger.userId());
        MatrixTestClient.Response changes = bob.client().get(CS + "/keys/changes?from=" + enc(t0) + "&to=" + enc(next(s1)),
                bob.accessToken());
        assertThat(changes.status()).as(changes.raw()).isEqualTo(200);
        assertThat(changed(changes.body())).contains(alice.userId()).doesNotContain(stranger.userId());
        // nothing new afterwards
        assertThat(changed(syncOk(bob, next(s1)).path("device_lists"))).doesNotContain(alice.userId());
        // an identical re-upload is no change
        String t2 = next(syncOk(bob, next(s1)));
        JsonNode counts = uploadOk(alice, Map.of());
        assertThat(counts.path("one_time_key_counts").path("signed_curve25519").asInt()).isZero();
        assertThat(changed(syncOk(bob, t2).path("device_lists"))).doesNotContain(alice.userId());
    }

    @Test
    void syncReportsOwnKeyCountsAndUnusedFallbackTypes() {
        TestUser alice = registerA("dl-counts");
        ObjectNode fallback = fallbackKeys("FB1", "fb");
        uploadOk(alice, Map.of("one_time_keys", oneTimeKeys("k", 4), "fallback_keys", fallback));
        JsonNode s = syncOk(alice, null);
        assertThat(s.path("device_one_time_keys_count").path("signed_curve25519").asInt()).isEqualTo(4);
        assertThat(s.path("device_unused_fallback_key_types").valueStream().map(JsonNode::asText)).containsExactly("signed_curve25519");
        // another device of the same user has its own counts
        TestUser other = secondDevice(alice);
        assertThat(syncOk(other, null).path("device_one_time_keys_count").path("signed_curve25519").asInt()).isZero();
    }

    @Test
    void joinsAreChangedAndPartnersWhoLeaveAreLeft() {
        TestUser alice = registerA("dl-j-alice");
        TestUser bob = registerA("dl-j-bob");
        String roomId = createRoom(alice);
        String t0 = next(syncOk(alice, null));
        inviteAndJoin(alice, roomId, bob);
        JsonNode s1 = syncOk(alice, t0);
        assertThat(changed(s1.path("device_lists"))).contains(bob.userId());

        MatrixTestClient.Response leave = bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), Map.of());
        assertThat(leave.status()).as(leave.raw()).isEqualTo(200);
        JsonNode s2 = syncOk(alice, next(s1));
        assertThat(s2.path("device_lists").path("left").valueStream().map(JsonNode::asText)).contains(bob.userId());
        assertThat(changed(s2.path("device_lists"))).doesNotContain(bob.userId());
    }

    @Test
    void aPartnerWhoStillSharesAnotherRoomIsNotLeft() {
        TestUser alice = registerA("dl-s-alice");
        TestUser bob = registerA("dl-s-bob");
        String first = createRoom(alice);
        String second = createRoom(alice);
        inviteAndJoin(alice, first, bob);
        inviteAndJoin(alice, second, bob);
        String t0 = next(syncOk(alice, null));
        MatrixTestClient.Response leave = bob.client().post(CS + "/rooms/" + enc(first) + "/leave", bob.accessToken(), Map.of());
        assertThat(leave.status()).as(leave.raw()).isEqualTo(200);
        JsonNode s1 = syncOk(alice, t0);
        assertThat(s1.path("device_lists").path("left").valueStream().map(JsonNode::asText)).doesNotContain(bob.userId());
        assertThat(changed(s1.path("device_lists"))).doesNotContain(bob.userId());
    }

    private JsonNode keyChanges(TestUser user, String from, String to) {
        MatrixTestClient.Response r = user.client().get(CS + "/keys/changes?from=" + enc(from) + "&to=" + enc(to), user.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static java.util.List<String> left(JsonNode node) {
        return node.path("left").valueStream().map(JsonNode::asText).toList();
    }

    @Test
    void keysChangesReportsNewRoomPartnersAndPartnersWhoLeft() {
        TestUser alice = registerA("kc-alice");
        TestUser bob = registerA("kc-bob");
        TestUser carol = registerA("kc-carol");
        TestUser dave = registerA("kc-dave");
        TestUser erin = registerA("kc-erin");
        String roomId = createRoom(alice);
        String other = createRoom(alice);
        inviteAndJoin(alice, roomId, carol);
        inviteAndJoin(alice, roomId, erin);
        inviteAndJoin(alice, other, erin);
        String daveRoom = createRoom(dave);
        String t0 = next(syncOk(alice, null));

        inviteAndJoin(alice, roomId, bob);
        inviteAndJoin(dave, daveRoom, alice);
        for (TestUser leaver : new TestUser[] {carol, erin}) {
            MatrixTestClient.Response leave = leaver.client().post(CS + "/rooms/" + enc(roomId) + "/leave", leaver.accessToken(), Map.of());
            assertThat(leave.status()).as(leave.raw()).isEqualTo(200);
        }
        String t1 = next(syncOk(alice, t0));

        JsonNode changes = keyChanges(alice, t0, t1);
        // bob joined alice's room, alice joined dave's: both started sharing a room with alice without any key upload
        assertThat(changed(changes)).contains(bob.userId(), dave.userId()).doesNotContain(carol.userId(), erin.userId());
        // carol shares no room with alice any more; erin still shares the other room
        assertThat(left(changes)).containsExactly(carol.userId());
        JsonNode empty = keyChanges(alice, t1, t1);
        assertThat(changed(empty)).isEmpty();
        assertThat(left(empty)).isEmpty();
        // alice leaving dave's room makes dave left for alice
        MatrixTestClient.Response leave = alice.client().post(CS + "/rooms/" + enc(daveRoom) + "/leave", alice.accessToken(), Map.of());
        assertThat(leave.status()).as(leave.raw()).isEqualTo(200);
        String t2 = next(syncOk(alice, t1));
        JsonNode afterLeave = keyChanges(alice, t1, t2);
        assertThat(left(afterLeave)).containsExactly(dave.userId());
        assertThat(changed(afterLeave)).doesNotContain(dave.userId());
    }

    @Test
    void aWaitingSyncIsWokenByAPartnersNewKeys() throws Exception {
        TestUser alice = registerA("dl-w-alice");
        TestUser bob = registerA("dl-w-bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        String t0 = next(syncOk(bob, null));
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(
                () -> sync(bob, "?timeout=30000&since=" + enc(t0)).body());
        uploadOk(alice, Map.of("device_keys", deviceKeys(alice, deviceKey(alice))));
        assertThat(changed(waiting.get(20, TimeUnit.SECONDS).path("device_lists"))).contains(alice.userId());
    }
}
