package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {
        HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.rate-limit.message.per-second=0.001",
        "tim.homeserver.rate-limit.message.burst-count=4",
        "tim.homeserver.rooms.default-history-visibility=joined"})
class RoomRateLimitIntegrationTests extends RoomTestSupport {

    @Test
    void defaultHistoryVisibilityIsConfigurable() {
        TestUser alice = registerA("carl");
        String roomId = createRoom(alice);
        assertThat(alice.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.history_visibility", alice.accessToken())
                .body().path("history_visibility").asText()).isEqualTo("joined");
    }

    @Test
    void sendingEventsIsRateLimitedPerUser() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice, map("preset", "public_chat"));
        send(alice, roomId, "1");
        assertThat(putState(alice, roomId, "m.room.topic", "", map("topic", "t")).status()).isEqualTo(200);
        send(alice, roomId, "3");
        MatrixTestClient.Response limited = sendRaw(alice, roomId, "m.room.message", map("msgtype", "m.text", "body", "4"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(limited.body().path("retry_after_ms").asLong()).isPositive();
        // every route that sends an event counts
        assertThat(putState(alice, roomId, "m.room.topic", "", map("topic", "u")).status()).isEqualTo(429);
        assertThat(alice.client().post(CS + "/createRoom", alice.accessToken(), map()).status()).isEqualTo(429);
        // other users have their own budget
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        send(bob, roomId, "bob");
    }
}
