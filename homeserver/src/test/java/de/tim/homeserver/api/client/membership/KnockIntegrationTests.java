package de.tim.homeserver.api.client.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** "Knocking on rooms": {@code POST /knock}, the {@code knock} sync section, accepting and denying knocks. */
class KnockIntegrationTests extends RoomTestSupport {

    private MatrixTestClient.Response knock(TestUser user, String roomIdOrAlias, Object body) {
        return user.client().post(CS + "/knock/" + enc(roomIdOrAlias) + "?server_name=a.test&via=a.test", user.accessToken(), body);
    }

    private String knockRoom(TestUser owner) {
        String roomId = createRoom(owner, map("preset", "private_chat", "name", "Knock knock", "room_alias_name",
                uniqueLocalpart("knock")));
        assertThat(putState(owner, roomId, "m.room.join_rules", "", map("join_rule", "knock")).status()).isEqualTo(200);
        return roomId;
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    @Test
    void knockShowsInSyncAndIsAcceptedByAnInvite() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = knockRoom(alice);
        String aliceSince = sync(alice, "").text("next_batch");
        String bobSince = sync(bob, "").text("next_batch");

        MatrixTestClient.Response knocked = knock(bob, roomId, map("reason", "let me in"));
        assertThat(knocked.status()).as(knocked.raw()).isEqualTo(200);
        assertThat(knocked.text("room_id")).isEqualTo(roomId);

        JsonNode bobSync = sync(bob, "?timeout=0&since=" + bobSince).body();
        JsonNode knockState = bobSync.path("rooms").path("knock").path(roomId).path("knock_state").path("events");
        assertThat(types(knockState)).contains("m.room.create", "m.room.join_rules", "m.room.name", "m.room.member");
        JsonNode own = null;
        for (JsonNode e : knockState) {
            if (e.path("type").asText().equals("m.room.member")) {
                own = e;
            }
        }
        assertThat(own.path("state_key").asText()).isEqualTo(bob.userId());
        assertThat(own.path("content").path("membership").asText()).isEqualTo("knock");
        assertThat(own.path("content").path("reason").asText()).isEqualTo("let me in");
        assertThat(bobSync.path("rooms").path("join").has(roomId)).isFalse();
        // an initial sync shows the knock too
        assertThat(sync(bob, "").body().path("rooms").path("knock").has(roomId)).isTrue();

        JsonNode aliceSync = sync(alice, "?timeout=0&since=" + aliceSince).body();
        assertThat(aliceSync.path("rooms").path("join").path(roomId).path("timeline").toString()).contains("\"knock\"");

        // knocking does not let bob in
        assertThat(join(bob, roomId).status()).isEqualTo(403);
        // the room's members accept with an invite; then bob joins
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        // members, invitees and banned users cannot knock
        MatrixTestClient.Response again = knock(bob, roomId, map());
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.errcode()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void knocksAreDeniedByKickOrBanAndRetractedByLeave() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        TestUser dave = registerA("dave");
        String roomId = knockRoom(alice);
        inviteAndJoin(alice, roomId, bob);

        assertThat(knock(carol, roomId, map()).status()).isEqualTo(200);
        // bob has the invite level (0 in private rooms) but not the kick level: he cannot deny
        MatrixTestClient.Response bobKicks = bob.client().post(CS + "/rooms/" + enc(roomId) + "/kick", bob.accessToken(),
                map("user_id", carol.userId()));
        assertThat(bobKicks.status()).isEqualTo(403);
        assertThat(bobKicks.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: the same through the state endpoint
        assertThat(putState(bob, roomId, "m.room.member", carol.userId(), map("membership", "leave")).status()).isEqualTo(403);
        String carolSince = sync(carol, "").text("next_batch");
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(), map("user_id", carol.userId(), "reason", "no"))
                .status()).isEqualTo(200);
        JsonNode carolSync = sync(carol, "?timeout=0&since=" + carolSince).body();
        assertThat(carolSync.path("rooms").path("leave").has(roomId)).isTrue();
        assertThat(carolSync.path("rooms").path("knock").has(roomId)).isFalse();

        // a knock can be retracted, and knocked again; a banned user cannot knock
        assertThat(knock(dave, roomId, map()).status()).isEqualTo(200);
        assertThat(dave.client().post(CS + "/rooms/" + enc(roomId) + "/leave", dave.accessToken(), map()).status()).isEqualTo(200);
        assertThat(knock(dave, roomId, map()).status()).isEqualTo(200);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/ban", alice.accessToken(), map("user_id", dave.userId())).status())
                .isEqualTo(200);
        MatrixTestClient.Response banned = knock(dave, roomId, map());
        assertThat(banned.status()).isEqualTo(403);
        assertThat(banned.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: a knock through the state endpoint obeys the same rules
        assertThat(putState(dave, roomId, "m.room.member", dave.userId(), map("membership", "knock")).status()).isEqualTo(403);
    }

    @Test
    void knockErrors() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String inviteOnly = createRoom(alice);
        MatrixTestClient.Response notKnockable = knock(bob, inviteOnly, map());
        assertThat(notKnockable.status()).isEqualTo(403);
        assertThat(notKnockable.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: the state endpoint
        assertThat(putState(bob, inviteOnly, "m.room.member", bob.userId(), map("membership", "knock")).status()).isEqualTo(403);

        MatrixTestClient.Response unknown = knock(bob, "!nope:a.test", map());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        MatrixTestClient.Response unknownAlias = knock(bob, "#nope:a.test", map());
        assertThat(unknownAlias.status()).isEqualTo(404);
        MatrixTestClient.Response invalid = knock(bob, "garbage", map());
        assertThat(invalid.status()).isEqualTo(400);

        String roomId = knockRoom(alice);
        MatrixTestClient.Response badReason = knock(bob, roomId, map("reason", 42));
        assertThat(badReason.status()).isEqualTo(400);
        assertThat(badReason.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response noToken = a().post(CS + "/knock/" + enc(roomId), null, map());
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.errcode()).isEqualTo("M_MISSING_TOKEN");
        // knock by alias works like by id
        String alias = a().get(CS + "/rooms/" + enc(roomId) + "/aliases", alice.accessToken()).body().path("aliases").get(0).asText();
        MatrixTestClient.Response byAlias = knock(bob, alias, map());
        assertThat(byAlias.status()).as(byAlias.raw()).isEqualTo(200);
        assertThat(byAlias.text("room_id")).isEqualTo(roomId);

        // knock_restricted needs room version 10; the join rule is refused in version 9
        String v9 = createRoom(alice, map("room_version", "9"));
        MatrixTestClient.Response unsupported = putState(alice, v9, "m.room.join_rules", "", map("join_rule", "knock_restricted"));
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response nonsense = putState(alice, v9, "m.room.join_rules", "", map("join_rule", "whatever"));
        assertThat(nonsense.status()).isEqualTo(400);
        assertThat(putState(alice, v9, "m.room.join_rules", "", map("join_rule", "knock")).status()).isEqualTo(200);
        assertThat(knock(bob, v9, map()).status()).isEqualTo(200);
    }
}
