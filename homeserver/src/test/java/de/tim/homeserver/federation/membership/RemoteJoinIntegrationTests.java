package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The joining side: a user of a.test joins rooms of b.test. Both domains run in this process, but every
 * federation request goes through the (fake) egress listener and back in over HTTP with X-Matrix.
 */
class RemoteJoinIntegrationTests extends RoomTestSupport {

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private MatrixTestClient.Response joinRemote(TestUser user, String roomIdOrAlias, String server) {
        return user.client().post(CS + "/join/" + enc(roomIdOrAlias) + (server == null ? "" : "?server_name=" + server),
                user.accessToken(), map());
    }

    @Test
    void joinsARoomOfAnotherServer() {
        String roomId = createRoom(bob, map("preset", "public_chat", "name", "Cross-domain"));
        send(bob, roomId, "welcome");
        MatrixTestClient.Response joined = joinRemote(alice, roomId, B);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(joined.text("room_id")).isEqualTo(roomId);

        // the resident server has the member
        JsonNode residentMembers = bob.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", bob.accessToken()).body();
        assertThat(residentMembers.path("joined").has(alice.userId())).isTrue();
        // and the room is usable here
        MatrixTestClient.Response rooms = alice.client().get(CS + "/joined_rooms", alice.accessToken());
        assertThat(rooms.body().path("joined_rooms").toString()).contains(roomId);
        MatrixTestClient.Response name = alice.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.name/", alice.accessToken());
        assertThat(name.text("name")).as(name.raw()).isEqualTo("Cross-domain");
        JsonNode localMembers = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body();
        assertThat(localMembers.path("joined").has(bob.userId())).isTrue();
        assertThat(localMembers.path("joined").has(alice.userId())).isTrue();
        MatrixTestClient.Response sync = sync(alice, "?timeout=0");
        assertThat(sync.body().path("rooms").path("join").has(roomId)).as(sync.raw()).isTrue();

        // joining again is a local no-op
        assertThat(joinRemote(alice, roomId, B).status()).isEqualTo(200);
    }

    @Test
    void joinsByRemoteAlias() {
        String roomId = createRoom(bob, map("preset", "public_chat"));
        String alias = "#fed-" + uniqueLocalpart("r") + ":" + B;
        assertThat(bob.client().put(CS + "/directory/room/" + enc(alias), bob.accessToken(), map("room_id", roomId)).status())
                .isEqualTo(200);
        MatrixTestClient.Response joined = joinRemote(alice, alias, null);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(joined.text("room_id")).isEqualTo(roomId);
        // the resident server now names both servers for the alias
        de.tim.homeserver.federation.FakeRemoteServer asker = new de.tim.homeserver.federation.FakeRemoteServer(
                "asker-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(asker);
        String query = "/_matrix/federation/v1/query/directory?room_alias=" + enc(alias);
        MatrixTestClient.Response directory = asker.request(b(), B, "GET", query, null);
        assertThat(directory.text("room_id")).isEqualTo(roomId);
        assertThat(directory.body().path("servers").toString()).contains(B).contains(A);
        assertThat(joinRemote(alice, "#missing-alias:" + B, null).status()).isEqualTo(404);
    }

    @Test
    void refusalsOfTheResidentServerReachTheClient() {
        String privateRoom = createRoom(bob, map("preset", "private_chat"));
        MatrixTestClient.Response refused = joinRemote(alice, privateRoom, B);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        // the room did not become known here
        assertThat(alice.client().get(CS + "/joined_rooms", alice.accessToken()).body().path("joined_rooms").toString())
                .doesNotContain(privateRoom);
        assertThat(joinRemote(alice, "!unknown:" + B, null).status()).isEqualTo(404);
        // unreachable server
        assertThat(joinRemote(alice, "!room:unreachable.test", null).status()).isEqualTo(502);
    }
}
