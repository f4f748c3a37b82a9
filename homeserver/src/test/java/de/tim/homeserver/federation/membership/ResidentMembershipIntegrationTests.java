package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
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
 * A remote server's user joins and leaves a room on a.test (make_join/send_join v2, make_leave/send_leave
 * v2), and the remote then reads the room over federation (event, state, state_ids, event_auth,
 * backfill, get_missing_events) as far as membership, history visibility and the server ACL allow.
 */
class ResidentMembershipIntegrationTests extends RoomTestSupport {

    private FakeRemoteServer remote;
    private TestUser alice;
    private String remoteUser;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("resident-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        alice = registerA("alice");
        remoteUser = "@bob:" + remote.serverName();
    }

    private MatrixTestClient.Response fed(String method, String uri, Object body) {
        return remote.request(a(), A, method, uri, body);
    }

    private MatrixTestClient.Response makeJoin(String roomId, String userId) {
        return fed("GET", "/_matrix/federation/v1/make_join/" + enc(roomId) + "/" + enc(userId) + "?ver=10&ver=11", null);
    }

    /** Runs the handshake; returns the send_join response. */
    private MatrixTestClient.Response join(String roomId) {
        MatrixTestClient.Response template = makeJoin(roomId, remoteUser);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        RoomVersion version = RoomVersion.fromId(template.text("room_version")).orElseThrow();
        ObjectNode signed = remote.signEvent((ObjectNode) template.body().get("event"), version);
        String eventId = Pdu.fromJson(signed.deepCopy(), version).eventId().value();
        return fed("PUT", "/_matrix/federation/v2/send_join/" + enc(roomId) + "/" + enc(eventId), signed);
    }

    private String publicRoom() {
        return createRoom(alice, map("preset", "public_chat"));
    }

    @Test
    void remoteUserJoinsAPublicRoomAndReadsIt() {
        String roomId = publicRoom();
        String before = send(alice, roomId, "hello before");
        MatrixTestClient.Response joined = join(roomId);
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(joined.body().path("state")).anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("m.room.create"));
        assertThat(joined.body().path("auth_chain").isArray()).isTrue();
        assertThat(joined.text("origin")).isEqualTo(A);
        String joinId = Pdu.fromJson((ObjectNode) joined.body().get("event"), RoomVersion.V10).eventId().value();

        // the local side sees the remote member
        MatrixTestClient.Response members = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken());
        assertThat(members.body().path("joined").has(remoteUser)).as(members.raw()).isTrue();

        // read endpoints
        MatrixTestClient.Response event = fed("GET", "/_matrix/federation/v1/event/" + enc(before), null);
        assertThat(event.status()).as(event.raw()).isEqualTo(200);
        assertThat(event.body().path("pdus").get(0).path("content").path("body").asText()).isEqualTo("hello before");

        MatrixTestClient.Response stateIds = fed("GET", "/_matrix/federation/v1/state_ids/" + enc(roomId) + "?event_id=" + enc(joinId), null);
        assertThat(stateIds.status()).as(stateIds.raw()).isEqualTo(200);
        assertThat(stateIds.body().path("pdu_ids").size()).isGreaterThanOrEqualTo(4);
        assertThat(stateIds.body().path("auth_chain_ids").size()).isGreaterThanOrEqualTo(1);

        MatrixTestClient.Response state = fed("GET", "/_matrix/federation/v1/state/" + enc(roomId) + "?event_id=" + enc(joinId), null);
        assertThat(state.body().path("pdus").size()).isEqualTo(stateIds.body().path("pdu_ids").size());

        MatrixTestClient.Response auth = fed("GET", "/_matrix/federation/v1/event_auth/" + enc(roomId) + "/" + enc(joinId), null);
        assertThat(auth.body().path("auth_chain")).anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("m.room.create"));

        MatrixTestClient.Response backfill = fed("GET", "/_matrix/federation/v1/backfill/" + enc(roomId) + "?v=" + enc(joinId) + "&limit=3", null);
        assertThat(backfill.body().path("pdus")).hasSize(3);
        assertThat(backfill.body().path("pdus").get(1).path("content").path("body").asText()).isEqualTo("hello before");

        String after = send(alice, roomId, "hello after");
        MatrixTestClient.Response missing = fed("POST", "/_matrix/federation/v1/get_missing_events/" + enc(roomId),
                Map.of("earliest_events", List.of(joinId), "latest_events", List.of(after), "limit", 10));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(200);
        // nothing between the join and the latest event
        assertThat(missing.body().path("events")).isEmpty();
        String later = send(alice, roomId, "even later");
        missing = fed("POST", "/_matrix/federation/v1/get_missing_events/" + enc(roomId),
                Map.of("earliest_events", List.of(joinId), "latest_events", List.of(later), "limit", 10));
        assertThat(missing.body().path("events")).hasSize(1);
        assertThat(missing.body().path("events").get(0).path("content").path("body").asText()).isEqualTo("hello after");

        // sending the same join again is idempotent
        assertThat(fed("PUT", "/_matrix/federation/v2/send_join/" + enc(roomId) + "/" + enc(joinId),
                joined.body().get("event")).status()).isEqualTo(200);
    }

    @Test
    void serversNotInTheRoomReadNothing() {
        String roomId = publicRoom();
        String message = send(alice, roomId, "secret");
        // shared history, not in the room
        assertThat(fed("GET", "/_matrix/federation/v1/event/" + enc(message), null).status()).isEqualTo(403);
        assertThat(fed("GET", "/_matrix/federation/v1/state_ids/" + enc(roomId) + "?event_id=" + enc(message), null).status())
                .isEqualTo(403);
        assertThat(fed("GET", "/_matrix/federation/v1/backfill/" + enc(roomId) + "?v=" + enc(message) + "&limit=3", null)
                .status()).isEqualTo(403);
        assertThat(fed("POST", "/_matrix/federation/v1/get_missing_events/" + enc(roomId),
                Map.of("earliest_events", List.of(), "latest_events", List.of(message))).status()).isEqualTo(403);
        assertThat(fed("GET", "/_matrix/federation/v1/event_auth/" + enc(roomId) + "/" + enc(message), null).status())
                .isEqualTo(403);
        assertThat(fed("GET", "/_matrix/federation/v1/state_ids/!unknown:a.test?event_id=" + enc(message), null).status())
                .isEqualTo(404);
    }

    @Test
    void serverAclDeniesEvenAMember() {
        String roomId = publicRoom();
        assertThat(join(roomId).status()).isEqualTo(200);
        String message = send(alice, roomId, "hi");
        assertThat(fed("GET", "/_matrix/federation/v1/event/" + enc(message), null).status()).isEqualTo(200);
        assertThat(putState(alice, roomId, "m.room.server_acl", "", map("allow", List.of("*"),
                "deny", List.of(remote.serverName()), "allow_ip_literals", false)).status()).isEqualTo(200);
        assertThat(fed("GET", "/_matrix/federation/v1/event/" + enc(message), null).status()).isEqualTo(403);
        assertThat(makeJoin(roomId, remoteUser).status()).isEqualTo(403);
    }

    @Test
    void joinsThatAreNotAllowedOrNotGenuineAreRefused() {
        // invite-only room: no template
        String privateRoom = createRoom(alice, map("preset", "private_chat"));
        assertThat(makeJoin(privateRoom, remoteUser).errcode()).isEqualTo("M_FORBIDDEN");
        String roomId = publicRoom();
        // only for users of the asking server
        assertThat(makeJoin(roomId, "@mallory:other.test").status()).isEqualTo(403);
        // room version negotiation
        assertThat(fed("GET", "/_matrix/federation/v1/make_join/" + enc(roomId) + "/" + enc(remoteUser) + "?ver=1", null)
                .errcode()).isEqualTo("M_INCOMPATIBLE_ROOM_VERSION");

        MatrixTestClient.Response template = makeJoin(roomId, remoteUser);
        ObjectNode event = (ObjectNode) template.body().get("event");
        String sendJoin = "/_matrix/federation/v2/send_join/" + enc(roomId) + "/";

        // signed with a key the remote does not publish
        ObjectNode forged = EventSigning.hashAndSign(event.deepCopy(), RoomVersion.V10, ServerName.parse(remote.serverName()),
                SigningKey.generate("remote1"));
        String forgedId = Pdu.fromJson(forged.deepCopy(), RoomVersion.V10).eventId().value();
        assertThat(fed("PUT", sendJoin + enc(forgedId), forged).status()).isEqualTo(400);

        // unsigned
        ObjectNode unsigned = remote.signEvent(event, RoomVersion.V10);
        unsigned.remove("signatures");
        assertThat(fed("PUT", sendJoin + enc(forgedId), unsigned).status()).isEqualTo(400);

        // content changed after signing (hash mismatch)
        ObjectNode tampered = remote.signEvent(event, RoomVersion.V10);
        String tamperedId = Pdu.fromJson(tampered.deepCopy(), RoomVersion.V10).eventId().value();
        ((ObjectNode) tampered.get("content")).put("displayname", "changed");
        assertThat(fed("PUT", sendJoin + enc(tamperedId), tampered).status()).isEqualTo(400);

        // wrong event id in the path
        ObjectNode good = remote.signEvent(event, RoomVersion.V10);
        assertThat(fed("PUT", sendJoin + enc("$wrong"), good).status()).isEqualTo(400);

        // a join for a user of another server, signed by that server's name but sent by the remote
        ObjectNode other = event.deepCopy();
        other.put("sender", "@mallory:" + remote.serverName()).put("state_key", "@someone:" + remote.serverName());
        ObjectNode otherSigned = remote.signEvent(other, RoomVersion.V10);
        String otherId = Pdu.fromJson(otherSigned.deepCopy(), RoomVersion.V10).eventId().value();
        assertThat(fed("PUT", sendJoin + enc(otherId), otherSigned).status()).isEqualTo(400);

        // none of these changed the room
        MatrixTestClient.Response members = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken());
        assertThat(members.body().path("joined").size()).isEqualTo(1);
    }

    @Test
    void remoteUserLeaves() {
        String roomId = publicRoom();
        assertThat(join(roomId).status()).isEqualTo(200);
        MatrixTestClient.Response template = fed("GET", "/_matrix/federation/v1/make_leave/" + enc(roomId) + "/" + enc(remoteUser), null);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        ObjectNode signed = remote.signEvent((ObjectNode) template.body().get("event"), RoomVersion.V10);
        String eventId = Pdu.fromJson(signed.deepCopy(), RoomVersion.V10).eventId().value();
        MatrixTestClient.Response left = fed("PUT", "/_matrix/federation/v2/send_leave/" + enc(roomId) + "/" + enc(eventId), signed);
        assertThat(left.status()).as(left.raw()).isEqualTo(200);
        JsonNode members = alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()).body();
        assertThat(members.path("joined").has(remoteUser)).isFalse();
        // not in the room any more: no reads
        assertThat(fed("GET", "/_matrix/federation/v1/state_ids/" + enc(roomId) + "?event_id=" + enc(eventId), null).status())
                .isEqualTo(403);
    }

    @Test
    void thirdPartyInvitesAreRefusedAndPublicRoomsAreNotServed() {
        assertThat(fed("PUT", "/_matrix/federation/v1/exchange_third_party_invite/" + enc("!r:a.test"), Map.of()).status())
                .isEqualTo(403);
        assertThat(fed("GET", "/_matrix/federation/v1/publicRooms", null).status()).isEqualTo(404);
    }
}
