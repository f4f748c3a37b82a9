package de.tim.homeserver.federation.edu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typing notifications and read receipts of local users reach the other servers in the room (m.typing, m.receipt). */
class OutboundEduIntegrationTests extends RoomTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private JsonNode ephemeral(TestUser user, String roomId) {
        return sync(user, "?timeout=0").body().path("rooms").path("join").path(roomId).path("ephemeral").path("events");
    }

    @Test
    void typingAndReceiptsCrossServers() {
        String roomId = createRoom(bob, map("preset", "public_chat"));
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(roomId) + "?server_name=" + B,
                alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        String message = send(bob, roomId, "bitte lesen");
        await().atMost(WAIT).until(() -> messages(alice, roomId, "?dir=b&limit=5").path("chunk").toString().contains(message));

        assertThat(alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.userId()), alice.accessToken(),
                map("typing", true, "timeout", 10000)).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> ephemeral(bob, roomId).toString().contains(alice.userId()));

        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(message), alice.accessToken(),
                map()).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> {
            String events = ephemeral(bob, roomId).toString();
            return events.contains("m.receipt") && events.contains(alice.userId());
        });
    }
}
