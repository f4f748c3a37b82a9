package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Restricted rooms" over federation: a user of b.test joins a {@code restricted} / {@code knock_restricted}
 * room of a.test because they are joined to an allowed room; a.test names a local user who may invite as
 * {@code join_authorised_via_users_server} in {@code make_join} and countersigns the join in {@code send_join}.
 * Refusals use the server-server spec's codes (403, 400 {@code M_UNABLE_TO_AUTHORISE_JOIN} /
 * {@code M_UNABLE_TO_GRANT_JOIN}).
 */
class RestrictedJoinFederationIntegrationTests extends RoomTestSupport {

    private TestUser alice;
    private TestUser bob;
    private TestUser carol;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        carol = register(b(), uniqueLocalpart("carol"), false, "b-shared-secret");
    }

    private MatrixTestClient.Response joinRemote(TestUser user, String roomId) {
        return user.client().post(CS + "/join/" + enc(roomId) + "?server_name=" + A, user.accessToken(), map());
    }

    private String restrictedRoom(String joinRule, Object powerLevels, String... allowedRooms) {
        var body = map("preset", "private_chat", "room_version", "10");
        if (powerLevels != null) {
            body.put("power_level_content_override", powerLevels);
        }
        String roomId = createRoom(alice, body);
        List<Object> allow = new ArrayList<>();
        for (String allowed : allowedRooms) {
            allow.add(map("type", "m.room_membership", "room_id", allowed));
        }
        MatrixTestClient.Response r = putState(alice, roomId, "m.room.join_rules", "", map("join_rule", joinRule, "allow", allow));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return roomId;
    }

    private JsonNode memberEvent(TestUser reader, String roomId, String userId) {
        MatrixTestClient.Response r = reader.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(userId)
                + "?format=event", reader.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    @Test
    void remoteMemberOfAnAllowedRoomJoinsAuthorisedByALocalInviter() {
        String space = createRoom(alice, map("preset", "public_chat", "room_version", "10"));
        assertThat(joinRemote(bob, space).status()).isEqualTo(200);
        for (String rule : List.of("restricted", "knock_restricted")) {
            String roomId = restrictedRoom(rule, null, "!elsewhere:unknown.test", space);

            MatrixTestClient.Response joined = joinRemote(bob, roomId);
            assertThat(joined.status()).as(rule + ": " + joined.raw()).isEqualTo(200);
            // both servers hold the join with the resident's authoriser (the joining side could only import it
            // with a.test's signature: auth rule 4.2)
            assertThat(memberEvent(alice, roomId, bob.userId()).path("content").path("join_authorised_via_users_server").asText())
                    .isEqualTo(alice.userId());
            assertThat(memberEvent(bob, roomId, bob.userId()).path("content").path("join_authorised_via_users_server").asText())
                    .isEqualTo(alice.userId());
            send(alice, roomId, "willkommen " + rule);
            await().atMost(Duration.ofSeconds(20)).until(() -> messages(bob, roomId, "?dir=b&limit=10").toString()
                    .contains("willkommen " + rule));

            // carol is in no allowed room: refused by the resident server, passed to her client
            MatrixTestClient.Response refused = joinRemote(carol, roomId);
            assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
            assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");
            assertThat(carol.client().get(CS + "/joined_rooms", carol.accessToken()).body().toString()).doesNotContain(roomId);
        }
    }

    @Test
    void residentAnswersWithTheSpecsCodesAndChecksSendJoinAgain() {
        FakeRemoteServer remote = new FakeRemoteServer("restricted-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        String member = "@member:" + remote.serverName();
        String outsider = "@outsider:" + remote.serverName();
        String space = createRoom(alice, map("preset", "public_chat", "room_version", "10"));
        assertThat(sendJoin(remote, space, member, null).status()).isEqualTo(200);

        // only rooms this server is not in: it cannot verify the conditions
        String unknownOnly = restrictedRoom("restricted", null, "!elsewhere:unknown.test");
        MatrixTestClient.Response unable = makeJoin(remote, unknownOnly, member);
        assertThat(unable.status()).as(unable.raw()).isEqualTo(400);
        assertThat(unable.errcode()).isEqualTo("M_UNABLE_TO_AUTHORISE_JOIN");

        // a condition holds, but no local user may invite
        String noInviter = restrictedRoom("restricted", map("invite", 101), space);
        MatrixTestClient.Response grant = makeJoin(remote, noInviter, member);
        assertThat(grant.status()).as(grant.raw()).isEqualTo(400);
        assertThat(grant.errcode()).isEqualTo("M_UNABLE_TO_GRANT_JOIN");

        String roomId = restrictedRoom("restricted", null, space);
        MatrixTestClient.Response outside = makeJoin(remote, roomId, outsider);
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.errcode()).isEqualTo("M_FORBIDDEN");

        // the member's template names alice; the outsider re-uses it with a forged authoriser: refused at send_join
        MatrixTestClient.Response template = makeJoin(remote, roomId, member);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        assertThat(template.body().path("event").path("content").path("join_authorised_via_users_server").asText())
                .isEqualTo(alice.userId());
        ObjectNode forged = ((ObjectNode) template.body().get("event")).deepCopy();
        forged.put("sender", outsider).put("state_key", outsider);
        MatrixTestClient.Response forgedJoin = putSendJoin(remote, roomId, forged);
        assertThat(forgedJoin.status()).as(forgedJoin.raw()).isEqualTo(403);
        assertThat(alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body()
                .path("joined").has(outsider)).isFalse();

        // the member's own join is countersigned by a.test in the answer
        MatrixTestClient.Response joined = putSendJoin(remote, roomId, (ObjectNode) template.body().get("event"));
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(joined.body().path("event").path("signatures").has(A)).isTrue();
        assertThat(joined.body().path("event").path("signatures").has(remote.serverName())).isTrue();
        assertThat(alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body()
                .path("joined").has(member)).isTrue();
    }

    private MatrixTestClient.Response makeJoin(FakeRemoteServer remote, String roomId, String userId) {
        return remote.request(a(), A, "GET", "/_matrix/federation/v1/make_join/" + enc(roomId) + "/" + enc(userId)
                + "?ver=10", null);
    }

    private MatrixTestClient.Response sendJoin(FakeRemoteServer remote, String roomId, String userId, String unused) {
        MatrixTestClient.Response template = makeJoin(remote, roomId, userId);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        return putSendJoin(remote, roomId, (ObjectNode) template.body().get("event"));
    }

    private MatrixTestClient.Response putSendJoin(FakeRemoteServer remote, String roomId, ObjectNode template) {
        ObjectNode signed = remote.signEvent(template, RoomVersion.V10);
        String eventId = Pdu.fromJson(signed.deepCopy(), RoomVersion.V10).eventId().value();
        return remote.request(a(), A, "PUT", "/_matrix/federation/v2/send_join/" + enc(roomId) + "/" + enc(eventId), signed);
    }
}
