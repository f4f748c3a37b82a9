package de.tim.homeserver.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

class SynapseRoomAdminIntegrationTests extends RoomTestSupport {

    private static final String ADMIN = "/_synapse/admin";

    @Test
    void listDetailsStateMessagesContext() {
        TestUser admin = adminA();
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("name", "Admin view " + alice.localpart(), "initial_state", java.util.List.of(
                map("type", "m.room.history_visibility", "state_key", "", "content", map("history_visibility", "joined")))));
        String eventId = send(alice, roomId, "visible to admins");
        send(alice, roomId, "second");

        MatrixTestClient.Response list = a().get(ADMIN + "/v1/rooms?search_term=" + enc("admin view " + alice.localpart()),
                admin.accessToken());
        assertThat(list.status()).as(list.raw()).isEqualTo(200);
        assertThat(list.body().path("rooms")).hasSize(1);
        assertThat(list.body().path("total_rooms").asInt()).isEqualTo(1);
        JsonAssert details = new JsonAssert(a().get(ADMIN + "/v1/rooms/" + enc(roomId), admin.accessToken()));
        assertThat(details.r.body().path("creator").asText()).isEqualTo(alice.userId());
        assertThat(details.r.body().path("joined_local_members").asInt()).isEqualTo(1);
        assertThat(details.r.body().path("history_visibility").asText()).isEqualTo("joined");
        assertThat(a().get(ADMIN + "/v1/rooms/" + enc(roomId) + "/state", admin.accessToken()).body().path("state").size())
                .isGreaterThan(5);
        MatrixTestClient.Response messages = a().get(ADMIN + "/v1/rooms/" + enc(roomId) + "/messages?limit=1", admin.accessToken());
        assertThat(messages.body().path("chunk").get(0).path("content").path("body").asText()).isEqualTo("second");
        MatrixTestClient.Response context = a().get(ADMIN + "/v1/rooms/" + enc(roomId) + "/context/" + enc(eventId), admin.accessToken());
        assertThat(context.body().path("event").path("content").path("body").asText()).isEqualTo("visible to admins");

        assertThat(a().get(ADMIN + "/v1/rooms", alice.accessToken()).status()).isEqualTo(403);
        assertThat(a().get(ADMIN + "/v1/rooms/" + enc(roomId) + "/messages", alice.accessToken()).status()).isEqualTo(403);
        assertThat(a().get(ADMIN + "/v1/rooms/%21nope%3Aa.test", admin.accessToken()).status()).isEqualTo(404);
        TestUser bAdmin = register(b(), uniqueLocalpart("badmin"), true, "b-shared-secret");
        assertThat(b().get(ADMIN + "/v1/rooms/" + enc(roomId), bAdmin.accessToken()).status()).isEqualTo(404);
    }

    @Test
    void deleteWithPurgeIsIdempotent() {
        TestUser admin = adminA();
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("room_alias_name", "purge-" + alice.localpart()));
        String eventId = send(alice, roomId, "to be purged");
        assertThat(a().delete(ADMIN + "/v2/rooms/" + enc(roomId), alice.accessToken(), map("purge", true)).status()).isEqualTo(403);
        MatrixTestClient.Response deleted = a().delete(ADMIN + "/v2/rooms/" + enc(roomId), admin.accessToken(), map("purge", true));
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        String deleteId = deleted.text("delete_id");
        // purged positions are no gap for readers: a new message is readable at once
        String other = createRoom(alice);
        send(alice, other, "after the purge");
        assertThat(messages(alice, other, "?dir=b&limit=1").path("chunk").get(0).path("content").path("body").asText())
                .isEqualTo("after the purge");
        MatrixTestClient.Response status = a().get(ADMIN + "/v2/rooms/delete_status/" + deleteId, admin.accessToken());
        assertThat(status.text("status")).isEqualTo("complete");
        assertThat(status.body().path("shutdown_room").path("kicked_users").toString()).contains(alice.userId());
        assertThat(a().get(ADMIN + "/v1/rooms/" + enc(roomId), admin.accessToken()).status()).isEqualTo(404);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(eventId), alice.accessToken()).status()).isEqualTo(404);
        assertThat(a().get(CS + "/joined_rooms", alice.accessToken()).raw()).doesNotContain(roomId);
        assertThat(a().get(CS + "/directory/room/" + enc("#purge-" + alice.localpart() + ":a.test"), alice.accessToken()).status())
                .isEqualTo(404);
        MatrixTestClient.Response again = a().delete(ADMIN + "/v2/rooms/" + enc(roomId), admin.accessToken(), map("purge", true));
        assertThat(again.status()).isEqualTo(200);
        assertThat(a().get(ADMIN + "/v2/rooms/" + enc(roomId) + "/delete_status", admin.accessToken()).body().path("results").size())
                .isEqualTo(2);
        assertThat(a().delete(ADMIN + "/v2/rooms/" + enc(roomId), admin.accessToken(), map("purge", "yes")).errcode())
                .isEqualTo("M_BAD_JSON");
    }

    private record JsonAssert(MatrixTestClient.Response r) {
        JsonAssert {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
        }
    }
}
