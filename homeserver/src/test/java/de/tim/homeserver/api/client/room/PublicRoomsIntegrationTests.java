package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

/** TI-M default: the room directory is for the domain's users only. */
class PublicRoomsIntegrationTests extends RoomTestSupport {

    @Test
    void directoryNeedsATokenByDefault() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("preset", "public_chat", "visibility", "public"));
        MatrixTestClient.Response anonymous = a().get(CS + "/publicRooms", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(a().get(CS + "/publicRooms?limit=100", alice.accessToken()).body().path("chunk").toString()).contains(roomId);
    }
}
