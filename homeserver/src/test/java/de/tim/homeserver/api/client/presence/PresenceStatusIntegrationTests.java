package de.tim.homeserver.api.client.presence;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code GET/PUT /presence/{userId}/status} of users of this server: a user's own status always, another user's only
 * while the two share a joined room (as in /sync), so presence does not show everyone of the domain who is online.
 */
class PresenceStatusIntegrationTests extends RoomTestSupport {

    private static String status(TestUser user) {
        return CS + "/presence/" + enc(user.userId()) + "/status";
    }

    @Test
    void ownStatusIsSetAndReadAndValidated() {
        TestUser user = registerA("presence");
        assertThat(a().get(status(user), user.accessToken()).text("presence")).isEqualTo("offline");
        assertThat(a().put(status(user), user.accessToken(), map("presence", "online", "status_msg", "In der Sprechstunde"))
                .status()).isEqualTo(200);
        MatrixTestClient.Response own = a().get(status(user), user.accessToken());
        assertThat(own.text("presence")).isEqualTo("online");
        assertThat(own.text("status_msg")).isEqualTo("In der Sprechstunde");
        assertThat(own.body().path("currently_active").asBoolean()).isTrue();
        assertThat(own.body().path("last_active_ago").isNumber()).isTrue();
        assertThat(a().put(status(user), user.accessToken(), map("presence", "busy")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().get(status(user), user.accessToken()).text("presence")).isEqualTo("online");
    }

    @Test
    void anotherUsersStatusOnlyWhileSharingAJoinedRoom() {
        TestUser user = registerA("presence-shared");
        TestUser viewer = registerA("presence-viewer");
        a().put(status(user), user.accessToken(), map("presence", "online", "status_msg", "Visite"));

        MatrixTestClient.Response stranger = a().get(status(user), viewer.accessToken());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(stranger.body().has("status_msg")).isFalse();

        String roomId = createRoom(user);
        invite(user, roomId, viewer);
        assertThat(a().get(status(user), viewer.accessToken()).status()).as("invited is not joined").isEqualTo(403);
        join(viewer, roomId);
        MatrixTestClient.Response partner = a().get(status(user), viewer.accessToken());
        assertThat(partner.text("presence")).isEqualTo("online");
        assertThat(partner.text("status_msg")).isEqualTo("Visite");

        viewer.client().post(CS + "/rooms/" + enc(roomId) + "/leave", viewer.accessToken(), map());
        assertThat(a().get(status(user), viewer.accessToken()).status()).isEqualTo(403);
        assertThat(a().put(status(user), viewer.accessToken(), map("presence", "offline")).status()).isEqualTo(403);
    }

    @Test
    void unknownUsersAreNotToldApartFromStrangers() {
        TestUser viewer = registerA("presence-probe");
        MatrixTestClient.Response unknown = a().get(CS + "/presence/" + enc("@nobody:a.test") + "/status", viewer.accessToken());
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(unknown.errcode()).isEqualTo("M_FORBIDDEN");
        // a user of another server sharing no room with the viewer (see RemotePresenceStatusIntegrationTests)
        assertThat(a().get(CS + "/presence/" + enc("@x:b.test") + "/status", viewer.accessToken()).status()).isEqualTo(403);
        assertThat(a().get(CS + "/presence/" + enc("not-a-user-id") + "/status", viewer.accessToken()).status()).isEqualTo(400);
    }
}
