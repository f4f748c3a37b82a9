package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** {@code tim.homeserver.rooms.public-rooms-without-token=true}: {@code GET /publicRooms} as the Matrix spec has it. */
@TestPropertySource(properties = {HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.rooms.public-rooms-without-token=true"})
class PublicRoomsWithoutTokenIntegrationTests extends RoomTestSupport {

    @Test
    void directoryReadableWithoutToken() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("preset", "public_chat", "visibility", "public", "name", "Open"));
        MatrixTestClient.Response anonymous = a().get(CS + "/publicRooms?limit=100", null);
        assertThat(anonymous.status()).as(anonymous.raw()).isEqualTo(200);
        assertThat(anonymous.body().path("chunk").toString()).contains(roomId);
        // only GET: searching still needs a token, and other servers' directories stay closed
        assertThat(a().post(CS + "/publicRooms", null, map()).status()).isEqualTo(401);
        assertThat(a().get(CS + "/publicRooms?server=b.test", null).status()).isEqualTo(403);
        // a bad token is still refused
        assertThat(a().get(CS + "/publicRooms", "not-a-token").status()).isEqualTo(401);
    }
}
