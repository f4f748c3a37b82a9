package de.tim.homeserver.api.client.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** "Restricted rooms": joins allowed by membership of another room, authorised by a local user who may invite. */
class RestrictedJoinIntegrationTests extends RoomTestSupport {

    private String restrictedRoom(TestUser owner, String joinRule, String version, String... allowedRooms) {
        String roomId = createRoom(owner, map("preset", "private_chat", "room_version", version));
        List<Object> allow = new java.util.ArrayList<>();
        for (String allowed : allowedRooms) {
            allow.add(map("type", "m.room_membership", "room_id", allowed));
        }
        MatrixTestClient.Response r = putState(owner, roomId, "m.room.join_rules", "", map("join_rule", joinRule, "allow", allow));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return roomId;
    }

    private JsonNode memberEvent(TestUser reader, String roomId, TestUser member) {
        MatrixTestClient.Response r = reader.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(member.userId())
                + "?format=event", reader.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    @Test
    void membersOfAnAllowedRoomJoinAuthorisedByALocalInviter() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        String space = createRoom(alice);
        inviteAndJoin(alice, space, bob);
        String roomId = restrictedRoom(alice, "restricted", "10", "!unknown:a.test", space);

        MatrixTestClient.Response joined = join(bob, roomId);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        JsonNode member = memberEvent(alice, roomId, bob);
        assertThat(member.path("content").path("membership").asText()).isEqualTo("join");
        assertThat(member.path("content").path("join_authorised_via_users_server").asText()).isEqualTo(alice.userId());

        // carol is in none of the allowed rooms
        MatrixTestClient.Response refused = join(carol, roomId);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: the other join endpoint and the state endpoint with a forged authoriser
        assertThat(carol.client().post(CS + "/rooms/" + enc(roomId) + "/join", carol.accessToken(), map()).status()).isEqualTo(403);
        MatrixTestClient.Response forged = putState(carol, roomId, "m.room.member", carol.userId(),
                map("membership", "join", "join_authorised_via_users_server", alice.userId()));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.errcode()).isEqualTo("M_FORBIDDEN");
        // an invite lifts the restriction, without an authoriser
        assertThat(invite(alice, roomId, carol).status()).isEqualTo(200);
        assertThat(join(carol, roomId).status()).isEqualTo(200);
        assertThat(memberEvent(alice, roomId, carol).path("content").has("join_authorised_via_users_server")).isFalse();
        // a member who left the allowed room no longer qualifies
        TestUser dave = registerA("dave");
        inviteAndJoin(alice, space, dave);
        assertThat(dave.client().post(CS + "/rooms/" + enc(space) + "/leave", dave.accessToken(), map()).status()).isEqualTo(200);
        assertThat(join(dave, roomId).status()).isEqualTo(403);
    }

    @Test
    void noLocalUserWithInvitePowerMeansNoJoin() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String space = createRoom(alice);
        inviteAndJoin(alice, space, bob);
        String roomId = createRoom(alice, map("preset", "private_chat", "power_level_content_override", map("invite", 50)));
        assertThat(putState(alice, roomId, "m.room.join_rules", "", map("join_rule", "restricted",
                "allow", List.of(map("type", "m.room_membership", "room_id", space)))).status()).isEqualTo(200);
        TestUser erin = registerA("erin");
        inviteAndJoin(alice, roomId, erin);
        // only alice could authorise; once she left, nobody can
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/leave", alice.accessToken(), map()).status()).isEqualTo(200);
        MatrixTestClient.Response refused = join(bob, roomId);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
        // bypass: naming a joined user without invite power by hand
        assertThat(putState(bob, roomId, "m.room.member", bob.userId(),
                map("membership", "join", "join_authorised_via_users_server", erin.userId())).status()).isEqualTo(403);
    }

    @Test
    void knockRestrictedAllowsBothWays() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        TestUser carol = registerA("carol");
        String space = createRoom(alice);
        inviteAndJoin(alice, space, bob);
        String roomId = restrictedRoom(alice, "knock_restricted", "10", space);
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        assertThat(memberEvent(alice, roomId, bob).path("content").path("join_authorised_via_users_server").asText())
                .isEqualTo(alice.userId());
        // carol does not qualify for the restricted way, but may knock
        assertThat(join(carol, roomId).status()).isEqualTo(403);
        MatrixTestClient.Response knocked = carol.client().post(CS + "/knock/" + enc(roomId), carol.accessToken(), map());
        assertThat(knocked.status()).as(knocked.raw()).isEqualTo(200);
        // a plain restricted room cannot be knocked on
        String restricted = restrictedRoom(alice, "restricted", "10", space);
        assertThat(carol.client().post(CS + "/knock/" + enc(restricted), carol.accessToken(), map()).status()).isEqualTo(403);
        // allow must be an array
        MatrixTestClient.Response badAllow = putState(alice, restricted, "m.room.join_rules", "",
                map("join_rule", "restricted", "allow", "everyone"));
        assertThat(badAllow.status()).isEqualTo(400);
        assertThat(badAllow.errcode()).isEqualTo("M_BAD_JSON");
    }
}
