package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving side of out-of-band memberships ({@code OutOfBandMembershipReceiver}) against PDUs a test server
 * sends in {@code /send}: only a leave or ban of a local user with an outstanding invite or knock, signed by the
 * sender's server, sent by that server and citing the invite, becomes the user's membership; forgeries, leaves
 * that do not answer the invite, other users, other memberships and replays change nothing. An unban of an
 * out-of-band ban is held to the same rules, citing the ban.
 */
class OutOfBandMembershipBypassIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private TestUser bob;
    private TestUser carol;
    private FakeRemoteServer inviter;
    private FakeRemoteServer other;
    private String moderator;
    private String roomId;
    private int depth = 5;

    @BeforeEach
    void setUp() {
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        carol = register(b(), uniqueLocalpart("carol"), false, "b-shared-secret");
        inviter = new FakeRemoteServer("oob-" + System.nanoTime() % 100000 + ".test");
        other = new FakeRemoteServer("third-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(inviter);
        EGRESS.register(other);
        moderator = "@mod:" + inviter.serverName();
        roomId = "!room" + System.nanoTime() + ":" + inviter.serverName();
    }

    private ObjectNode member(String sender, String stateKey, String membership, List<String> authEvents) {
        ObjectNode event = JSON.createObjectNode();
        event.put("room_id", roomId).put("sender", sender).put("type", "m.room.member").put("state_key", stateKey)
                .put("origin_server_ts", System.currentTimeMillis()).put("depth", depth++);
        event.putObject("content").put("membership", membership);
        event.putArray("prev_events").add("$prev" + depth);
        authEvents.forEach(event.putArray("auth_events")::add);
        return event;
    }

    private static String id(ObjectNode signed) {
        return Pdu.fromJson(signed.deepCopy(), RoomVersion.V10).eventId().value();
    }

    /** The inviting server invites {@code user} (v2/invite); the invite's event id. */
    private String invite(TestUser user) {
        ObjectNode invite = inviter.signEvent(member(moderator, user.userId(), "invite", List.of("$create")), RoomVersion.V10);
        MatrixTestClient.Response r = inviter.request(b(), B, "PUT", "/_matrix/federation/v2/invite/" + enc(roomId) + "/"
                + enc(id(invite)), Map.of("room_version", "10", "event", invite, "invite_room_state", List.of()));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        await().atMost(WAIT).until(() -> rooms(user, null).path("invite").has(roomId));
        return id(invite);
    }

    /** A transaction of {@code origin} with the PDUs; the per-PDU answers. */
    private JsonNode send(FakeRemoteServer origin, ObjectNode... pdus) {
        Map<String, Object> body = Map.of("origin", origin.serverName(), "origin_server_ts", System.currentTimeMillis(),
                "pdus", List.of(pdus), "edus", List.of());
        MatrixTestClient.Response r = origin.request(b(), B, "PUT", "/_matrix/federation/v1/send/oob" + System.nanoTime(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().path("pdus");
    }

    private JsonNode rooms(TestUser user, String since) {
        return sync(user, since == null ? "?timeout=0" : "?timeout=0&since=" + enc(since)).body().path("rooms");
    }

    private void assertStillInvited(String since) {
        JsonNode rooms = rooms(bob, since);
        assertThat(rooms.path("leave").has(roomId)).as(rooms.toString()).isFalse();
        assertThat(rooms(bob, null).path("invite").has(roomId)).isTrue();
    }

    @Test
    void onlyAGenuineAnswerToTheInviteBecomesTheMembership() {
        String inviteId = invite(bob);
        String since = sync(bob, "?timeout=0").text("next_batch");
        List<String> cites = List.of("$create", "$power", inviteId);

        // a third server relays the room's genuine leave: the sender is not of the origin
        ObjectNode genuine = inviter.signEvent(member(moderator, bob.userId(), "leave", cites), RoomVersion.V10);
        assertThat(send(other, genuine).path(id(genuine)).path("error").asText()).contains("origin");
        assertStillInvited(since);
        // a third server signs for a user of the inviting server (with its own key): not that server's signature
        ObjectNode forged = EventSigning.hashAndSign(member(moderator, bob.userId(), "leave", cites), RoomVersion.V10,
                ServerName.parse(inviter.serverName()), SigningKey.generate("remote1"));
        assertThat(send(inviter, forged).path(id(forged)).path("error").isTextual()).isTrue();
        assertStillInvited(since);
        // a leave that does not cite the invite
        ObjectNode uncited = inviter.signEvent(member(moderator, bob.userId(), "leave", List.of("$create", "$power")),
                RoomVersion.V10);
        assertThat(send(inviter, uncited).path(id(uncited)).path("error").asText()).contains("invite");
        assertStillInvited(since);
        // a leave of a user without an invite, a join and a message: the room is unknown here
        ObjectNode carols = inviter.signEvent(member(moderator, carol.userId(), "leave", cites), RoomVersion.V10);
        ObjectNode join = inviter.signEvent(member(moderator, moderator, "join", cites), RoomVersion.V10);
        ObjectNode message = inviter.signEvent(member(moderator, moderator, "join", cites).put("type", "m.room.message")
                .without("state_key"), RoomVersion.V10);
        JsonNode answers = send(inviter, carols, join, message);
        for (ObjectNode refused : List.of(carols, join, message)) {
            assertThat(answers.path(id(refused)).path("error").asText()).contains("unknown");
        }
        assertThat(rooms(carol, null).toString()).doesNotContain(roomId);
        assertStillInvited(since);

        // the genuine leave from its own server
        assertThat(send(inviter, genuine).path(id(genuine)).has("error")).isFalse();
        JsonNode left = await().atMost(WAIT).until(() -> rooms(bob, since).path("leave").path(roomId), JsonNode::isObject);
        assertThat(left.toString()).contains(id(genuine));
        assertThat(rooms(bob, null).path("invite").has(roomId)).isFalse();

        // the same leave again: acknowledged, nothing changes
        String afterLeave = sync(bob, "?timeout=0").text("next_batch");
        assertThat(send(inviter, genuine).path(id(genuine)).has("error")).isFalse();
        assertThat(rooms(bob, afterLeave).path("leave").has(roomId)).isFalse();

        // invited again: replaying the old leave does not rescind the new invite, a ban answering it does
        String secondInvite = invite(bob);
        String reinvited = sync(bob, "?timeout=0").text("next_batch");
        assertThat(send(inviter, genuine).path(id(genuine)).path("error").asText()).contains("invite");
        assertStillInvited(reinvited);
        ObjectNode ban = inviter.signEvent(member(moderator, bob.userId(), "ban", List.of("$create", "$power", secondInvite)),
                RoomVersion.V10);
        assertThat(send(inviter, ban).path(id(ban)).has("error")).isFalse();
        JsonNode banned = await().atMost(WAIT).until(() -> rooms(bob, reinvited).path("leave").path(roomId), JsonNode::isObject);
        assertThat(banned.toString()).contains(id(ban));
    }

    /** Bob's membership event of the left room in {@code section} with that membership, or null. */
    private static JsonNode memberEvent(JsonNode leftRoom, String section, String membership) {
        for (JsonNode e : leftRoom.path(section).path("events")) {
            if ("m.room.member".equals(e.path("type").asText()) && membership.equals(e.path("content").path("membership").asText())) {
                return e;
            }
        }
        return null;
    }

    /** Bob's left room since {@code since} shows nothing new (no change). */
    private void assertUnchanged(String since) {
        JsonNode rooms = rooms(bob, since);
        assertThat(rooms.path("leave").has(roomId)).as(rooms.toString()).isFalse();
    }

    /** Invites Bob and bans him out of band; the ban's event id. */
    private String inviteAndBan() {
        String inviteId = invite(bob);
        String since = sync(bob, "?timeout=0").text("next_batch");
        ObjectNode ban = inviter.signEvent(member(moderator, bob.userId(), "ban", List.of("$create", "$power", inviteId)),
                RoomVersion.V10);
        assertThat(send(inviter, ban).path(id(ban)).has("error")).isFalse();
        await().atMost(WAIT).until(() -> rooms(bob, since).path("leave").path(roomId), JsonNode::isObject);
        return id(ban);
    }

    @Test
    void onlyAGenuineUnbanLiftsAnOutOfBandBan() {
        String banId = inviteAndBan();
        String banned = sync(bob, "?timeout=0").text("next_batch");
        List<String> cites = List.of("$create", "$power", banId);

        // an unban citing another event than the ban
        ObjectNode uncited = inviter.signEvent(member(moderator, bob.userId(), "leave", List.of("$create", "$power")),
                RoomVersion.V10);
        assertThat(send(inviter, uncited).path(id(uncited)).path("error").asText()).contains("ban");
        assertUnchanged(banned);
        // the genuine unban relayed by a third server; a third server signing for a user of the banning server
        ObjectNode genuine = inviter.signEvent(member(moderator, bob.userId(), "leave", cites), RoomVersion.V10);
        assertThat(send(other, genuine).path(id(genuine)).path("error").asText()).contains("origin");
        ObjectNode forged = EventSigning.hashAndSign(member(moderator, bob.userId(), "leave", cites), RoomVersion.V10,
                ServerName.parse(inviter.serverName()), SigningKey.generate("remote1"));
        assertThat(send(inviter, forged).path(id(forged)).path("error").isTextual()).isTrue();
        assertUnchanged(banned);
        // an unban of a user who is not banned here: the room is unknown for her
        ObjectNode carols = inviter.signEvent(member(moderator, carol.userId(), "leave", cites), RoomVersion.V10);
        assertThat(send(inviter, carols).path(id(carols)).path("error").asText()).contains("unknown");
        assertThat(rooms(carol, null).toString()).doesNotContain(roomId);
        // a second ban answering the ban is no unban
        ObjectNode reban = inviter.signEvent(member(moderator, bob.userId(), "ban", cites), RoomVersion.V10);
        assertThat(send(inviter, reban).path(id(reban)).path("error").isTextual()).isTrue();
        assertUnchanged(banned);

        // the genuine unban: the room is left, without the ban
        assertThat(send(inviter, genuine).path(id(genuine)).has("error")).isFalse();
        JsonNode left = await().atMost(WAIT).until(() -> rooms(bob, banned).path("leave").path(roomId), JsonNode::isObject);
        assertThat(left.toString()).contains(id(genuine));
        assertThat(memberEvent(left, "state", "leave")).as(left.toString()).isNotNull();
        assertThat(memberEvent(left, "state", "ban")).as(left.toString()).isNull();
        assertThat(memberEvent(left, "timeline", "ban")).as(left.toString()).isNull();
        // the same unban again: acknowledged, nothing changes
        String unbanned = sync(bob, "?timeout=0").text("next_batch");
        assertThat(send(inviter, genuine).path(id(genuine)).has("error")).isFalse();
        assertUnchanged(unbanned);

        // invited and banned again: the old unban replayed changes nothing
        String secondBan = inviteAndBan();
        String bannedAgain = sync(bob, "?timeout=0").text("next_batch");
        assertThat(send(inviter, genuine).path(id(genuine)).path("error").asText()).contains("ban");
        assertUnchanged(bannedAgain);
        JsonNode stillBanned = rooms(bob, unbanned).path("leave").path(roomId);
        assertThat(memberEvent(stillBanned, "state", "ban")).as(stillBanned.toString()).isNotNull();
        assertThat(stillBanned.toString()).contains(secondBan).doesNotContain(id(genuine));
    }
}
