package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

/** "Room upgrades": {@code POST /rooms/{roomId}/upgrade}. */
class RoomUpgradeIntegrationTests extends RoomTestSupport {

    private MatrixTestClient.Response upgrade(TestUser user, String roomId, Object body) {
        return user.client().post(CS + "/rooms/" + enc(roomId) + "/upgrade", user.accessToken(), body);
    }

    private JsonNode state(TestUser user, String roomId, String type) {
        MatrixTestClient.Response r = user.client().get(CS + "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/", user.accessToken());
        assertThat(r.status()).as(type + " " + r.raw()).isEqualTo(200);
        return r.body();
    }

    @Test
    void upgradeReplacesTheRoom() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String aliasName = uniqueLocalpart("up");
        String oldRoom = createRoom(alice, map("preset", "public_chat", "name", "Old", "topic", "Topic", "room_alias_name", aliasName,
                "visibility", "public", "room_version", "9", "creation_content", map("m.federate", false)));
        assertThat(join(bob, oldRoom).status()).isEqualTo(200);
        assertThat(putState(alice, oldRoom, "m.room.encryption", "", map("algorithm", "m.megolm.v1.aes-sha2")).status()).isEqualTo(200);
        assertThat(putState(alice, oldRoom, "org.example.custom", "", map("x", 1)).status()).isEqualTo(200);
        String alias = "#" + aliasName + ":a.test";

        MatrixTestClient.Response upgraded = upgrade(alice, oldRoom, map("new_version", "10"));
        assertThat(upgraded.status()).as(upgraded.raw()).isEqualTo(200);
        String newRoom = upgraded.text("replacement_room");
        assertThat(newRoom).startsWith("!").isNotEqualTo(oldRoom);

        JsonNode create = state(alice, newRoom, "m.room.create");
        assertThat(create.path("room_version").asText()).isEqualTo("10");
        assertThat(create.path("predecessor").path("room_id").asText()).isEqualTo(oldRoom);
        assertThat(create.path("predecessor").path("event_id").asText()).startsWith("$");
        assertThat(create.path("m.federate").asBoolean(true)).isFalse();
        assertThat(state(alice, newRoom, "m.room.name").path("name").asText()).isEqualTo("Old");
        assertThat(state(alice, newRoom, "m.room.topic").path("topic").asText()).isEqualTo("Topic");
        assertThat(state(alice, newRoom, "m.room.encryption").path("algorithm").asText()).isEqualTo("m.megolm.v1.aes-sha2");
        assertThat(state(alice, newRoom, "m.room.join_rules").path("join_rule").asText()).isEqualTo("public");
        assertThat(state(alice, newRoom, "m.room.power_levels").path("users").path(alice.userId()).asInt()).isEqualTo(100);
        assertThat(state(alice, newRoom, "m.room.canonical_alias").path("alias").asText()).isEqualTo(alias);
        assertThat(alice.client().get(CS + "/rooms/" + enc(newRoom) + "/state/org.example.custom/", alice.accessToken()).status())
                .isEqualTo(404);
        // memberships are not copied
        assertThat(a().get(CS + "/rooms/" + enc(newRoom) + "/joined_members", alice.accessToken()).body().path("joined").size())
                .isEqualTo(1);

        // the old room: tombstone, restricted power levels, alias and directory entry moved
        JsonNode tombstone = state(bob, oldRoom, "m.room.tombstone");
        assertThat(tombstone.path("replacement_room").asText()).isEqualTo(newRoom);
        JsonNode oldLevels = state(bob, oldRoom, "m.room.power_levels");
        assertThat(oldLevels.path("events_default").asInt()).isEqualTo(50);
        assertThat(oldLevels.path("invite").asInt()).isEqualTo(50);
        MatrixTestClient.Response bobTalks = sendRaw(bob, oldRoom, "m.room.message", map("msgtype", "m.text", "body", "hello?"));
        assertThat(bobTalks.status()).isEqualTo(403);
        assertThat(a().get(CS + "/directory/room/" + enc(alias), bob.accessToken()).text("room_id")).isEqualTo(newRoom);
        assertThat(a().get(CS + "/directory/list/room/" + enc(newRoom), null).text("visibility")).isEqualTo("public");
        assertThat(a().get(CS + "/directory/list/room/" + enc(oldRoom), null).text("visibility")).isEqualTo("private");
        // bob follows into the public replacement
        assertThat(join(bob, newRoom).status()).isEqualTo(200);
    }

    @Test
    void upgradeErrors() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);

        MatrixTestClient.Response unsupported = upgrade(alice, roomId, map("new_version", "1"));
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
        MatrixTestClient.Response unknownVersion = upgrade(alice, roomId, map("new_version", "org.example.v99"));
        assertThat(unknownVersion.errcode()).isEqualTo("M_UNSUPPORTED_ROOM_VERSION");
        MatrixTestClient.Response missing = upgrade(alice, roomId, map());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
        MatrixTestClient.Response wrongType = upgrade(alice, roomId, map("new_version", 10));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.errcode()).isEqualTo("M_BAD_JSON");

        // bob lacks the tombstone power level (100)
        MatrixTestClient.Response bobUpgrades = upgrade(bob, roomId, map("new_version", "11"));
        assertThat(bobUpgrades.status()).isEqualTo(403);
        assertThat(bobUpgrades.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: sending the tombstone by hand needs the same power
        assertThat(putState(bob, roomId, "m.room.tombstone", "", map("body", "gone", "replacement_room", "!x:a.test")).status())
                .isEqualTo(403);
        // non-members cannot upgrade; unknown rooms are 404
        assertThat(upgrade(carol, roomId, map("new_version", "11")).status()).isEqualTo(403);
        MatrixTestClient.Response unknownRoom = upgrade(alice, "!unknown:a.test", map("new_version", "11"));
        assertThat(unknownRoom.status()).isEqualTo(404);
        assertThat(unknownRoom.errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/upgrade", null, map("new_version", "11")).status()).isEqualTo(401);

        // a user raised to the tombstone level may upgrade; the replacement keeps the room's direct-chat limits
        MatrixTestClient.Response ok = upgrade(alice, roomId, map("new_version", "11"));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        String replacement = ok.text("replacement_room");
        assertThat(state(alice, replacement, "m.room.create").has("creator")).isFalse();
        assertThat(state(alice, replacement, "m.room.join_rules").path("join_rule").asText()).isEqualTo("invite");
    }
}
