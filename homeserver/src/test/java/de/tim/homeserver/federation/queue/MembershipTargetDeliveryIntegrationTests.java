package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A resident moderator's kick or ban of a user of another server that has no joined member in the room (the user
 * is only invited, or has only knocked) is sent to that user's server in a {@code /send} transaction; the room's
 * other events are not.
 */
class MembershipTargetDeliveryIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser alice;
    private FakeRemoteServer remote;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** The invites the remote countersigned, by invitee: event ids. */
    private final java.util.Map<String, String> invites = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        remote = new FakeRemoteServer("target-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        remote.onPrefix("/_matrix/federation/v2/invite/", request -> {
            ObjectNode event = (ObjectNode) read(request.body()).get("event");
            invites.put(event.path("state_key").asText(), Pdu.fromJson(event.deepCopy(), RoomVersion.V10).eventId().value());
            ObjectNode answer = JSON.createObjectNode();
            answer.set("event", EventSigning.addSignature(event, RoomVersion.V10, ServerName.parse(remote.serverName()),
                    remote.key()));
            return FakeRemoteServer.Answer.json(200, answer);
        });
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            read(request.body()).path("pdus").forEach(received::add);
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
    }

    private static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String remoteUser(String name) {
        return "@" + name + ":" + remote.serverName();
    }

    private MatrixTestClient.Response moderate(String action, String roomId, String userId) {
        return alice.client().post(CS + "/rooms/" + enc(roomId) + "/" + action, alice.accessToken(),
                map("user_id", userId, "reason", "Test"));
    }

    /** The membership PDU of {@code userId} the remote received, once it arrived. */
    private JsonNode receivedMembership(String userId, String membership) {
        return await().atMost(WAIT).until(() -> received.stream()
                .filter(p -> "m.room.member".equals(p.path("type").asText()) && userId.equals(p.path("state_key").asText())
                        && membership.equals(p.path("content").path("membership").asText()))
                .findFirst().orElse(null), p -> p != null);
    }

    @Test
    void rescindedInviteAndBanOfAnInviteeReachTheInviteesServer() {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        String carol = remoteUser("carol");
        String dave = remoteUser("dave");
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/invite", alice.accessToken(), map("user_id", carol))
                .status()).isEqualTo(200);
        assertThat(alice.client().post(CS + "/rooms/" + enc(roomId) + "/invite", alice.accessToken(), map("user_id", dave))
                .status()).isEqualTo(200);
        send(alice, roomId, "nur für Mitglieder");

        assertThat(moderate("kick", roomId, carol).status()).isEqualTo(200);
        JsonNode kick = receivedMembership(carol, "leave");
        assertThat(kick.path("sender").asText()).isEqualTo(alice.userId());
        assertThat(moderate("ban", roomId, dave).status()).isEqualTo(200);
        JsonNode ban = receivedMembership(dave, "ban");
        assertThat(ban.path("room_id").asText()).isEqualTo(roomId);
        // each cites the invite it answers (the one the remote countersigned)
        assertThat(kick.path("auth_events").toString()).contains(invites.get(carol));
        assertThat(ban.path("auth_events").toString()).contains(invites.get(dave));
        // the room's other events stay with its members (the message was queued before the kick, so it would have come first)
        assertThat(received).noneMatch(p -> "m.room.message".equals(p.path("type").asText()));
    }

    @Test
    void deniedKnockAndBanOfAKnockerReachTheKnockersServer() {
        String roomId = createRoom(alice, map("preset", "private_chat", "room_version", "10"));
        assertThat(putState(alice, roomId, "m.room.join_rules", "", map("join_rule", "knock")).status()).isEqualTo(200);
        String erin = remoteUser("erin");
        String frank = remoteUser("frank");
        String erinsKnock = knock(roomId, erin);
        knock(roomId, frank);

        assertThat(moderate("kick", roomId, erin).status()).isEqualTo(200);
        JsonNode denial = receivedMembership(erin, "leave");
        assertThat(denial.path("auth_events").toString()).contains(erinsKnock);
        assertThat(moderate("ban", roomId, frank).status()).isEqualTo(200);
        receivedMembership(frank, "ban");
        assertThat(received).noneMatch(p -> "knock".equals(p.path("content").path("membership").asText()));
    }

    /** The remote's user knocks through make_knock / send_knock; the knock's event id. */
    private String knock(String roomId, String userId) {
        MatrixTestClient.Response template = remote.request(a(), A, "GET", "/_matrix/federation/v1/make_knock/" + enc(roomId)
                + "/" + enc(userId) + "?ver=10", null);
        assertThat(template.status()).as(template.raw()).isEqualTo(200);
        ObjectNode signed = remote.signEvent((ObjectNode) template.body().get("event"), RoomVersion.V10);
        String eventId = Pdu.fromJson(signed.deepCopy(), RoomVersion.V10).eventId().value();
        MatrixTestClient.Response sent = remote.request(a(), A, "PUT", "/_matrix/federation/v1/send_knock/" + enc(roomId)
                + "/" + enc(eventId), signed);
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return eventId;
    }
}
