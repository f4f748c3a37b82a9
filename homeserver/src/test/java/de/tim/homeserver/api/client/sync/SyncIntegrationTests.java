package de.tim.homeserver.api.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

class SyncIntegrationTests extends RoomTestSupport {

    @Test
    void initialThenIncrementalSync() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice, map("preset", "private_chat", "name", "Sync"));
        send(alice, roomId, "first");
        MatrixTestClient.Response initial = sync(alice, "");
        assertThat(initial.status()).as(initial.raw()).isEqualTo(200);
        JsonNode room = initial.body().path("rooms").path("join").path(roomId);
        assertThat(bodies(room)).containsExactly("first");
        assertThat(room.path("timeline").path("limited").asBoolean()).isFalse();
        assertThat(room.path("timeline").path("prev_batch").asText()).isNotEmpty();
        assertThat(types(room.path("timeline").path("events"))).contains("m.room.create", "m.room.name");
        assertThat(room.path("state").path("events")).isEmpty();
        assertThat(room.path("summary").path("m.joined_member_count").asInt()).isEqualTo(1);
        assertThat(room.path("unread_notifications").path("notification_count").asInt()).isZero();
        assertThat(initial.body().path("to_device").path("events").isArray()).isTrue();
        assertThat(initial.body().path("device_lists").path("changed").isArray()).isTrue();
        String next = initial.text("next_batch");

        MatrixTestClient.Response empty = sync(alice, "?since=" + next + "&timeout=0");
        assertThat(empty.body().path("rooms").path("join").size()).isZero();

        send(alice, roomId, "second");
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        MatrixTestClient.Response incremental = sync(alice, "?since=" + next);
        JsonNode delta = incremental.body().path("rooms").path("join").path(roomId);
        assertThat(bodies(delta)).containsExactly("second");
        assertThat(delta.path("timeline").path("limited").asBoolean()).isFalse();
        assertThat(delta.path("state").path("events")).isEmpty();

        MatrixTestClient.Response bobSync = sync(bob, "");
        JsonNode invited = bobSync.body().path("rooms").path("invite").path(roomId);
        assertThat(types(invited.path("invite_state").path("events"))).contains("m.room.create", "m.room.name", "m.room.member");
        invited.path("invite_state").path("events").forEach(e -> assertThat(e.has("event_id")).isFalse());

        assertThat(join(bob, roomId).status()).isEqualTo(200);
        MatrixTestClient.Response bobJoined = sync(bob, "?since=" + bobSync.text("next_batch"));
        JsonNode joined = bobJoined.body().path("rooms").path("join").path(roomId);
        assertThat(types(joined.path("state").path("events"))).contains("m.room.create", "m.room.power_levels");

        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map()).status()).isEqualTo(200);
        MatrixTestClient.Response bobLeft = sync(bob, "?since=" + bobJoined.text("next_batch"));
        assertThat(bobLeft.body().path("rooms").path("leave").has(roomId)).isTrue();
        assertThat(bobLeft.body().path("rooms").path("join").has(roomId)).isFalse();
    }

    @Test
    void longPollWakesOnNewEvent() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        String next = sync(alice, "").text("next_batch");
        CompletableFuture<MatrixTestClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> sync(alice, "?timeout=20000&since=" + next));
        send(alice, roomId, "wake up");
        MatrixTestClient.Response woke = waiting.join();
        assertThat(bodies(woke.body().path("rooms").path("join").path(roomId))).contains("wake up");
    }

    @Test
    void filtersLimitsAndLazyMembers() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        for (int i = 0; i < 4; i++) {
            send(alice, roomId, "m" + i);
        }
        String filter = enc("{\"room\":{\"timeline\":{\"limit\":2},\"state\":{\"lazy_load_members\":true}}}");
        JsonNode room = sync(bob, "?filter=" + filter).body().path("rooms").path("join").path(roomId);
        assertThat(bodies(room)).containsExactly("m2", "m3");
        assertThat(room.path("timeline").path("limited").asBoolean()).isTrue();
        List<String> members = new ArrayList<>();
        room.path("state").path("events").forEach(e -> {
            if (e.path("type").asText().equals("m.room.member")) {
                members.add(e.path("state_key").asText());
            }
        });
        assertThat(members).containsExactlyInAnyOrder(alice.userId(), bob.userId());
        JsonNode older = messages(bob, roomId, "?dir=b&limit=2&from=" + room.path("timeline").path("prev_batch").asText());
        assertThat(older.path("chunk").get(0).path("content").path("body").asText()).isEqualTo("m1");

        MatrixTestClient.Response stored = bob.client().post(CS + "/user/" + enc(bob.userId()) + "/filter", bob.accessToken(),
                map("room", map("timeline", map("types", List.of("m.room.member")))));
        JsonNode onlyMembers = sync(bob, "?filter=" + stored.text("filter_id")).body().path("rooms").path("join").path(roomId);
        assertThat(types(onlyMembers.path("timeline").path("events"))).containsOnly("m.room.member");
        assertThat(sync(bob, "?filter=unknownfilter").status()).isEqualTo(400);
        assertThat(sync(bob, "?filter=" + enc("{\"room\":{\"timeline\":{\"limit\":\"x\"}}}")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(sync(bob, "?since=garbage").status()).isEqualTo(400);
        assertThat(sync(bob, "?set_presence=dancing").status()).isEqualTo(400);
        JsonNode presence = sync(alice, "?set_presence=unavailable&since=" + sync(alice, "").text("next_batch")).body();
        assertThat(presence.path("presence").path("events").toString()).contains("unavailable");
    }

    @Test
    void ephemeralTypingReceiptsAndAccountData() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        String eventId = send(alice, roomId, "read me");
        String next = sync(bob, "").text("next_batch");
        assertThat(alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.userId()), alice.accessToken(),
                map("typing", true, "timeout", 10000)).status()).isEqualTo(200);
        assertThat(alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(bob.userId()), alice.accessToken(),
                map("typing", true)).status()).isEqualTo(403);
        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId), bob.accessToken(), map())
                .status()).isEqualTo(200);
        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/read_markers", bob.accessToken(),
                map("m.fully_read", eventId)).status()).isEqualTo(200);
        assertThat(bob.client().put(CS + "/user/" + enc(bob.userId()) + "/account_data/org.example.x", bob.accessToken(),
                map("a", 1)).status()).isEqualTo(200);
        JsonNode body = sync(bob, "?since=" + next).body();
        JsonNode room = body.path("rooms").path("join").path(roomId);
        List<String> eph = types(room.path("ephemeral").path("events"));
        assertThat(eph).contains("m.typing", "m.receipt");
        room.path("ephemeral").path("events").forEach(e -> {
            if (e.path("type").asText().equals("m.typing")) {
                assertThat(e.path("content").path("user_ids").toString()).contains(alice.userId());
            } else {
                assertThat(e.path("content").path(eventId).path("m.read").has(bob.userId())).isTrue();
            }
        });
        assertThat(types(room.path("account_data").path("events"))).contains("m.fully_read");
        assertThat(types(body.path("account_data").path("events"))).contains("org.example.x");
        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/%24nope", bob.accessToken(), map())
                .status()).isEqualTo(404);
    }

    @Test
    void typingEndsWhenItsTimeoutPasses() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        assertThat(alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.userId()), alice.accessToken(),
                map("typing", true, "timeout", 2000)).status()).isEqualTo(200);
        String since = sync(bob, "").text("next_batch");
        // the long poll is answered by the expiry, with alice no longer typing
        JsonNode room = sync(bob, "?timeout=20000&since=" + since).body().path("rooms").path("join").path(roomId);
        JsonNode typing = room.path("ephemeral").path("events").get(0);
        assertThat(typing.path("type").asText()).isEqualTo("m.typing");
        assertThat(typing.path("content").path("user_ids")).isEmpty();
    }

    static List<String> bodies(JsonNode room) {
        List<String> bodies = new ArrayList<>();
        room.path("timeline").path("events").forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(e.path("content").path("body").asText());
            }
        });
        return bodies;
    }

    static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText()));
        return types;
    }
}
