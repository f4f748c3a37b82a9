package de.tim.homeserver.api.client.membership;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** Profile changes, deactivation, full_state and include_leave as rooms see them. */
class RoomLifecycleIntegrationTests extends RoomTestSupport {

    @Test
    void profileChangesBecomeMemberEvents() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        assertThat(a().put(CS + "/profile/" + enc(alice.userId()) + "/displayname", alice.accessToken(),
                map("displayname", "Dr. Alice")).status()).isEqualTo(200);
        JsonNode member = a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(alice.userId()),
                alice.accessToken()).body();
        assertThat(member.path("displayname").asText()).isEqualTo("Dr. Alice");
        assertThat(member.path("membership").asText()).isEqualTo("join");
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body().path("joined")
                .path(alice.userId()).path("display_name").asText()).isEqualTo("Dr. Alice");
    }

    @Test
    void deactivatedUsersLeaveTheirRooms() {
        TestUser admin = adminA();
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        MatrixTestClient.Response deactivated = a().post("/_synapse/admin/v1/deactivate/" + enc(bob.userId()), admin.accessToken(), map());
        assertThat(deactivated.status()).as(deactivated.raw()).isEqualTo(200);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/members?membership=join", alice.accessToken()).body().path("chunk"))
                .hasSize(1);
    }

    @Test
    void fullStateAndIncludeLeave() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice, map("name", "Full"));
        inviteAndJoin(alice, roomId, bob);
        String next = sync(bob, "").text("next_batch");
        send(alice, roomId, "x");
        JsonNode full = sync(bob, "?full_state=true&since=" + next).body().path("rooms").path("join").path(roomId);
        assertThat(full.path("state").path("events").toString()).contains("m.room.create", "m.room.name");
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(), map("user_id", bob.userId())).status())
                .isEqualTo(200);
        assertThat(sync(bob, "").body().path("rooms").path("leave").has(roomId)).isFalse();
        JsonNode withLeave = sync(bob, "?filter=" + enc("{\"room\":{\"include_leave\":true}}")).body();
        assertThat(withLeave.path("rooms").path("leave").has(roomId)).isTrue();
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/forget", bob.accessToken(), map()).status()).isEqualTo(200);
        assertThat(sync(bob, "?filter=" + enc("{\"room\":{\"include_leave\":true}}")).body().path("rooms").path("leave")
                .has(roomId)).isFalse();
        // state after being kicked: as of the kick
        send(alice, roomId, "after kick");
        assertThat(putState(alice, roomId, "m.room.name", "", map("name", "Renamed")).status()).isEqualTo(200);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.name", bob.accessToken()).body().path("name").asText())
                .isEqualTo("Full");
    }
}
