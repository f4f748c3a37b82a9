package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class RoomIntegrationTests extends RoomTestSupport {

    @Test
    void createRoomWithPresetNameTopicAndInitialState() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("preset", "public_chat", "name", "Praxis", "topic", "Termine",
                "initial_state", List.of(map("type", "m.room.encryption", "state_key", "", "content", map("algorithm", "m.megolm.v1.aes-sha2"))),
                "creation_content", map("type", "org.example.space"), "room_version", "11",
                "power_level_content_override", map("events_default", 10)));
        assertThat(roomId).startsWith("!").endsWith(":a.test");
        MatrixTestClient.Response state = a().get(CS + "/rooms/" + enc(roomId) + "/state", alice.accessToken());
        assertThat(state.status()).as(state.raw()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        state.body().forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).contains("m.room.create", "m.room.member", "m.room.power_levels", "m.room.join_rules",
                "m.room.history_visibility", "m.room.name", "m.room.topic", "m.room.encryption", "m.room.guest_access");
        JsonNode create = a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.create", alice.accessToken()).body();
        assertThat(create.path("room_version").asText()).isEqualTo("11");
        assertThat(create.path("type").asText()).isEqualTo("org.example.space");
        assertThat(create.has("creator")).isFalse();
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.join_rules/", alice.accessToken()).body()
                .path("join_rule").asText()).isEqualTo("public");
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.power_levels", alice.accessToken()).body()
                .path("events_default").asInt()).isEqualTo(10);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.name?format=event", alice.accessToken()).body()
                .path("content").path("name").asText()).isEqualTo("Praxis");
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.avatar", alice.accessToken()).errcode())
                .isEqualTo("M_NOT_FOUND");
    }

    @Test
    void createRoomErrors() {
        TestUser alice = registerA("alice");
        MatrixTestClient.Response unsupported = a().post(CS + "/createRoom", alice.accessToken(), map("room_version", "1"));
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
        MatrixTestClient.Response badJson = a().post(CS + "/createRoom", alice.accessToken(), map("name", 5));
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response notJson = a().post(CS + "/createRoom", alice.accessToken(), "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
        assertThat(a().post(CS + "/createRoom", null, map()).status()).isEqualTo(401);
        createRoom(alice, map("room_alias_name", "taken-" + alice.localpart()));
        MatrixTestClient.Response inUse = a().post(CS + "/createRoom", alice.accessToken(), map("room_alias_name", "taken-" + alice.localpart()));
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.errcode()).isEqualTo("M_ROOM_IN_USE");
    }

    @Test
    void sendIsIdempotentPerTransactionAndDevice() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        String path = CS + "/rooms/" + enc(roomId) + "/send/m.room.message/txn1";
        MatrixTestClient.Response first = a().put(path, alice.accessToken(), map("msgtype", "m.text", "body", "hallo"));
        MatrixTestClient.Response second = a().put(path, alice.accessToken(), map("msgtype", "m.text", "body", "hallo"));
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(second.text("event_id")).isEqualTo(first.text("event_id"));
        assertThat(first.text("event_id")).startsWith("$").doesNotContain(":");
        TestUser otherDevice = secondDevice(alice);
        MatrixTestClient.Response third = a().put(path, otherDevice.accessToken(), map("msgtype", "m.text", "body", "hallo"));
        assertThat(third.text("event_id")).isNotEqualTo(first.text("event_id"));
        JsonNode event = a().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(first.text("event_id")), alice.accessToken()).body();
        assertThat(event.path("content").path("body").asText()).isEqualTo("hallo");
        assertThat(event.path("unsigned").path("transaction_id").asText()).isEqualTo("txn1");
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(third.text("event_id")), alice.accessToken()).body()
                .path("unsigned").has("transaction_id")).isFalse();
        assertThat(a().put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/x", alice.accessToken(), "[]").errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(a().put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/y", alice.accessToken(), "{").errcode())
                .isEqualTo("M_NOT_JSON");
    }

    @Test
    void eventsMustBeCanonicalAndSmallEnough() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        MatrixTestClient.Response large = sendRaw(alice, roomId, "m.room.message", map("msgtype", "m.text", "body", "x".repeat(65_200)));
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.errcode()).isEqualTo("M_TOO_LARGE");
        MatrixTestClient.Response floats = sendRaw(alice, roomId, "org.example.float", map("value", 0.5));
        assertThat(floats.status()).isEqualTo(400);
        assertThat(floats.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response unknownRoom = sendRaw(alice, "!unknown:a.test", "m.room.message", map("body", "x"));
        assertThat(unknownRoom.status()).isEqualTo(404);
        assertThat(unknownRoom.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(sendRaw(alice, "not-a-room", "m.room.message", map("body", "x")).status()).isEqualTo(400);
    }

    @Test
    void messagesPaginateBothDirectionsWithFilters() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        for (int i = 0; i < 5; i++) {
            send(alice, roomId, "a" + i);
            send(bob, roomId, "b" + i);
        }
        JsonNode latest = messages(alice, roomId, "?dir=b&limit=4");
        assertThat(bodies(latest)).containsExactly("b4", "a4", "b3", "a3");
        JsonNode next = messages(alice, roomId, "?dir=b&limit=4&from=" + latest.path("end").asText());
        assertThat(bodies(next)).containsExactly("b2", "a2", "b1", "a1");
        JsonNode forward = messages(alice, roomId, "?dir=f&limit=3&from=" + next.path("end").asText());
        assertThat(bodies(forward)).containsExactly("a1", "b1", "a2");
        String filter = enc("{\"senders\":[\"" + bob.userId() + "\"],\"types\":[\"m.room.*\"],\"lazy_load_members\":true}");
        JsonNode onlyBob = messages(alice, roomId, "?dir=b&limit=3&filter=" + filter);
        assertThat(bodies(onlyBob)).containsExactly("b4", "b3", "b2");
        assertThat(onlyBob.path("state")).hasSize(1);
        assertThat(onlyBob.path("state").get(0).path("state_key").asText()).isEqualTo(bob.userId());
        JsonNode all = messages(alice, roomId, "?dir=f&limit=100");
        assertThat(all.path("chunk").get(0).path("type").asText()).isEqualTo("m.room.create");
        assertThat(all.has("end")).isFalse();
        String notTypes = enc("{\"not_types\":[\"m.room.message\"]}");
        messages(alice, roomId, "?dir=f&limit=100&filter=" + notTypes).path("chunk")
                .forEach(e -> assertThat(e.path("type").asText()).isNotEqualTo("m.room.message"));
        JsonNode bounded = messages(alice, roomId, "?dir=b&limit=100&to=" + latest.path("end").asText());
        assertThat(bodies(bounded)).containsExactly("b4", "a4", "b3", "a3");
    }

    @Test
    void contextEventAndRelations() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        String first = send(alice, roomId, "one");
        String middle = send(alice, roomId, "two");
        send(alice, roomId, "three");
        MatrixTestClient.Response context = a().get(CS + "/rooms/" + enc(roomId) + "/context/" + enc(middle) + "?limit=2",
                alice.accessToken());
        assertThat(context.status()).as(context.raw()).isEqualTo(200);
        assertThat(context.body().path("event").path("event_id").asText()).isEqualTo(middle);
        assertThat(context.body().path("events_before").get(0).path("event_id").asText()).isEqualTo(first);
        assertThat(context.body().path("events_after").get(0).path("content").path("body").asText()).isEqualTo("three");
        assertThat(context.body().path("state").size()).isGreaterThan(3);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/context/%24unknown", alice.accessToken()).status()).isEqualTo(404);

        MatrixTestClient.Response edit = sendRaw(alice, roomId, "m.room.message", map("msgtype", "m.text", "body", "* one!",
                "m.new_content", map("msgtype", "m.text", "body", "one!"), "m.relates_to", map("rel_type", "m.replace", "event_id", first)));
        MatrixTestClient.Response reply = sendRaw(alice, roomId, "m.room.message", map("msgtype", "m.text", "body", "re",
                "m.relates_to", map("m.in_reply_to", map("event_id", first))));
        MatrixTestClient.Response all = a().get("/_matrix/client/v1/rooms/" + enc(roomId) + "/relations/" + enc(first), alice.accessToken());
        assertThat(all.status()).as(all.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        all.body().path("chunk").forEach(e -> ids.add(e.path("event_id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(edit.text("event_id"), reply.text("event_id"));
        MatrixTestClient.Response edits = a().get("/_matrix/client/v1/rooms/" + enc(roomId) + "/relations/" + enc(first)
                + "/m.replace/m.room.message", alice.accessToken());
        assertThat(edits.body().path("chunk")).hasSize(1);
        assertThat(edits.body().path("chunk").get(0).path("event_id").asText()).isEqualTo(edit.text("event_id"));
    }

    @Test
    void redactionRedactsForReaders() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        String secret = send(bob, roomId, "geheim");
        MatrixTestClient.Response forbidden = a().put(CS + "/rooms/" + enc(roomId) + "/redact/" + enc(secret) + "/r0",
                registerA("eve").accessToken(), map());
        assertThat(forbidden.status()).isEqualTo(403);
        MatrixTestClient.Response redaction = a().put(CS + "/rooms/" + enc(roomId) + "/redact/" + enc(secret) + "/r1",
                alice.accessToken(), map("reason", "spam"));
        assertThat(redaction.status()).as(redaction.raw()).isEqualTo(200);
        JsonNode event = a().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(secret), bob.accessToken()).body();
        assertThat(event.path("content").size()).isZero();
        assertThat(event.path("unsigned").path("redacted_because").path("event_id").asText()).isEqualTo(redaction.text("event_id"));
        assertThat(messages(bob, roomId, "?dir=b&limit=5").toString()).doesNotContain("geheim");
    }

    @Test
    void membersJoinedMembersAndJoinedRooms() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        assertThat(invite(alice, roomId, carol).status()).isEqualTo(200);
        MatrixTestClient.Response members = a().get(CS + "/rooms/" + enc(roomId) + "/members", alice.accessToken());
        assertThat(members.body().path("chunk")).hasSize(3);
        MatrixTestClient.Response joinedOnly = a().get(CS + "/rooms/" + enc(roomId) + "/members?membership=join", alice.accessToken());
        assertThat(joinedOnly.body().path("chunk")).hasSize(2);
        MatrixTestClient.Response notJoined = a().get(CS + "/rooms/" + enc(roomId) + "/members?not_membership=join", alice.accessToken());
        assertThat(notJoined.body().path("chunk")).hasSize(1);
        MatrixTestClient.Response joined = a().get(CS + "/rooms/" + enc(roomId) + "/joined_members", bob.accessToken());
        assertThat(joined.body().path("joined").has(alice.userId())).isTrue();
        assertThat(joined.body().path("joined").has(carol.userId())).isFalse();
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/joined_members", carol.accessToken()).status()).isEqualTo(403);
        assertThat(a().get(CS + "/joined_rooms", bob.accessToken()).body().path("joined_rooms").toString()).contains(roomId);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/members", registerA("eve").accessToken()).status()).isEqualTo(403);
    }

    private static List<String> bodies(JsonNode response) {
        List<String> bodies = new ArrayList<>();
        response.path("chunk").forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(e.path("content").path("body").asText());
            }
        });
        return bodies;
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> none() {
        return Map.of();
    }
}
