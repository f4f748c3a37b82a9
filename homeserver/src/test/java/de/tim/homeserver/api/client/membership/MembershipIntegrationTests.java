package de.tim.homeserver.api.client.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

class MembershipIntegrationTests extends RoomTestSupport {

    @Test
    void directChatNeverGetsAThirdMember() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        MatrixTestClient.Response tooMany = a().post(CS + "/createRoom", alice.accessToken(),
                map("is_direct", true, "preset", "trusted_private_chat", "invite", List.of(bob.userId(), carol.userId())));
        assertThat(tooMany.status()).isEqualTo(403);
        assertThat(tooMany.errcode()).isEqualTo("M_FORBIDDEN");

        String roomId = createRoom(alice, map("is_direct", true, "preset", "trusted_private_chat", "invite", List.of(bob.userId())));
        MatrixTestClient.Response third = invite(alice, roomId, carol);
        assertThat(third.status()).isEqualTo(403);
        assertThat(third.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: the same membership through the state endpoint
        MatrixTestClient.Response viaState = putState(alice, roomId, "m.room.member", carol.userId(), map("membership", "invite"));
        assertThat(viaState.status()).isEqualTo(403);
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        assertThat(invite(bob, roomId, carol).status()).isEqualTo(403);
        // bypass: a public join rule does not let a third user join
        assertThat(putState(alice, roomId, "m.room.join_rules", "", map("join_rule", "public")).status()).isEqualTo(200);
        MatrixTestClient.Response joinThird = join(carol, roomId);
        assertThat(joinThird.status()).isEqualTo(403);
        assertThat(joinThird.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/members?membership=join", alice.accessToken()).body()
                .path("chunk")).hasSize(2);
        // after one member left, a new second member is fine
        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map()).status()).isEqualTo(200);
        assertThat(invite(alice, roomId, carol).status()).isEqualTo(200);
        MatrixTestClient.Response invitedState = a().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(carol.userId()),
                alice.accessToken());
        assertThat(invitedState.body().path("is_direct").asBoolean()).isTrue();
    }

    @Test
    void kickBanUnbanLeaveForget() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice);
        inviteAndJoin(alice, roomId, bob);
        MatrixTestClient.Response bobKicks = bob.client().post(CS + "/rooms/" + enc(roomId) + "/kick", bob.accessToken(),
                map("user_id", alice.userId()));
        assertThat(bobKicks.status()).isEqualTo(403);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(), map("user_id", bob.userId(), "reason", "bye"))
                .status()).isEqualTo(200);
        assertThat(join(bob, roomId).status()).isEqualTo(403);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/ban", alice.accessToken(), map("user_id", bob.userId())).status())
                .isEqualTo(200);
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(403);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/unban", alice.accessToken(), map("user_id", bob.userId())).status())
                .isEqualTo(200);
        inviteAndJoin(alice, roomId, bob);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/forget", bob.accessToken(), map()).status()).isEqualTo(400);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map()).status()).isEqualTo(200);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/forget", bob.accessToken(), map()).status()).isEqualTo(200);
        assertThat(a().get(CS + "/joined_rooms", bob.accessToken()).body().path("joined_rooms").toString()).doesNotContain(roomId);
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/kick", alice.accessToken(), map("user_id", 5)).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(a().post(CS + "/rooms/" + enc(roomId) + "/invite", alice.accessToken(), "{x").errcode()).isEqualTo("M_NOT_JSON");
        assertThat(a().post(CS + "/rooms/%21unknown%3Aa.test/join", bob.accessToken(), map()).status()).isEqualTo(404);
    }

    @Test
    void privateRoomNeedsInviteAndMessagesNeedMembership() {
        TestUser alice = registerA("alice");
        TestUser eve = registerA("eve");
        String roomId = createRoom(alice);
        send(alice, roomId, "intern");
        assertThat(join(eve, roomId).status()).isEqualTo(403);
        assertThat(sendRaw(eve, roomId, "m.room.message", map("body", "x")).status()).isEqualTo(403);
        assertThat(eve.client().get(CS + "/rooms/" + enc(roomId) + "/messages", eve.accessToken()).status()).isEqualTo(403);
        assertThat(eve.client().get(CS + "/rooms/" + enc(roomId) + "/state", eve.accessToken()).status()).isEqualTo(403);
        assertThat(putState(eve, roomId, "m.room.name", "", map("name", "mine")).status()).isEqualTo(403);
    }

    @Test
    void aliasesAndDirectory() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String alias = "#room-" + alice.localpart() + ":a.test";
        String roomId = createRoom(alice, map("preset", "public_chat", "visibility", "public", "name", "Lobby " + alice.localpart()));
        assertThat(a().put(CS + "/directory/room/" + enc(alias), alice.accessToken(), map("room_id", roomId)).status()).isEqualTo(200);
        assertThat(a().put(CS + "/directory/room/" + enc(alias), alice.accessToken(), map("room_id", roomId)).status()).isEqualTo(409);
        assertThat(a().get(CS + "/directory/room/" + enc(alias), bob.accessToken()).text("room_id")).isEqualTo(roomId);
        assertThat(a().get(CS + "/rooms/" + enc(roomId) + "/aliases", alice.accessToken()).body().path("aliases").toString())
                .contains(alias);
        assertThat(join(bob, alias).text("room_id")).isEqualTo(roomId);
        assertThat(a().delete(CS + "/directory/room/" + enc(alias), bob.accessToken(), null).status()).isEqualTo(403);
        assertThat(a().get(CS + "/directory/list/room/" + enc(roomId), null).text("visibility")).isEqualTo("public");
        MatrixTestClient.Response search = a().post(CS + "/publicRooms", bob.accessToken(),
                map("filter", map("generic_search_term", "lobby " + alice.localpart())));
        assertThat(search.body().path("chunk")).hasSize(1);
        assertThat(search.body().path("chunk").get(0).path("num_joined_members").asInt()).isEqualTo(2);
        assertThat(a().put(CS + "/directory/list/room/" + enc(roomId), alice.accessToken(), map("visibility", "private")).status())
                .isEqualTo(200);
        assertThat(a().get(CS + "/publicRooms", bob.accessToken()).raw()).doesNotContain(roomId);
        assertThat(a().delete(CS + "/directory/room/" + enc(alias), alice.accessToken(), null).status()).isEqualTo(200);
        assertThat(a().get(CS + "/directory/room/" + enc(alias), bob.accessToken()).status()).isEqualTo(404);
        assertThat(a().put(CS + "/directory/room/" + enc("#x:b.test"), alice.accessToken(), map("room_id", roomId)).status())
                .isEqualTo(400);
    }

    @Test
    void domainIsolation() {
        TestUser alice = registerA("alice");
        TestUser bert = register(b(), uniqueLocalpart("bert"), false, "b-shared-secret");
        String roomId = createRoom(alice, map("preset", "public_chat", "room_alias_name", "iso-" + alice.localpart()));
        String eventId = send(alice, roomId, "nur a");
        // across domains only federation connects rooms; here it is cut (the egress forwards nothing), so joins
        // and invites find the other server unreachable (federation itself: de.tim.homeserver.federation.*)
        EGRESS.forwardNothing();
        assertThat(b().post(CS + "/join/" + enc(roomId), bert.accessToken(), map()).status()).isEqualTo(502);
        assertThat(b().post(CS + "/join/" + enc("#iso-" + alice.localpart() + ":a.test"), bert.accessToken(), map()).status())
                .isEqualTo(502);
        assertThat(b().get(CS + "/rooms/" + enc(roomId) + "/messages", bert.accessToken()).status()).isEqualTo(404);
        assertThat(b().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(eventId), bert.accessToken()).status()).isEqualTo(404);
        assertThat(b().get(CS + "/rooms/" + enc(roomId) + "/state", bert.accessToken()).status()).isEqualTo(404);
        assertThat(invite(alice, roomId, bert).status()).isEqualTo(502);
        // bypass: the invite through the state endpoint
        assertThat(putState(alice, roomId, "m.room.member", bert.userId(), map("membership", "invite")).status()).isEqualTo(403);
        // a token of domain A is not valid on domain B
        assertThat(b().post(CS + "/join/" + enc(roomId), alice.accessToken(), map()).status()).isEqualTo(401);
        assertThat(sync(bert, "").raw()).doesNotContain(roomId);
    }
}
