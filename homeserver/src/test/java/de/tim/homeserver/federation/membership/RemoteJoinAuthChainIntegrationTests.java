package de.tim.homeserver.federation.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The joining side keeps the whole auth chain of a {@code send_join} answer: events that are not in the
 * returned state (an old power levels event) are stored as outliers, so this server answers
 * {@code /event_auth} with them and authorises later events citing them.
 */
class RemoteJoinAuthChainIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("chain-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        room.serveBackfill = false; // the timeline here holds what was stored, not the history before the join
        alice = registerA("alice");
    }

    @Test
    void authChainEventsOutsideTheStateAreStoredAsOutliers() {
        String oldLevels = room.stateId("m.room.power_levels", "");
        ObjectNode levels = JSON.createObjectNode();
        levels.putObject("users").put(room.creator(), 100).put("@dave:" + remote.serverName(), 50);
        room.send(room.creator(), "m.room.power_levels", "", levels);
        Pdu name = room.send(room.creator(), "m.room.name", "", JSON.createObjectNode().put("name", "Remote room"));

        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(room.sendJoins).hasSize(1);

        // the old power levels are in the auth chain of the current ones, not in the state
        MatrixTestClient.Response auth = remote.request(a(), A, "GET", "/_matrix/federation/v1/event_auth/"
                + enc(room.roomId()) + "/" + enc(name.eventId().value()), null);
        assertThat(auth.status()).as(auth.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode event : auth.body().path("auth_chain")) {
            ids.add(Pdu.fromJson(((ObjectNode) event).deepCopy(), FakeRemoteRoom.VERSION).eventId().value());
        }
        assertThat(ids).contains(oldLevels, room.stateId("m.room.create", ""), room.stateId("m.room.power_levels", ""));
        // the outlier is not part of the timeline clients see
        JsonNode chunk = messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk");
        assertThat(chunk.toString()).doesNotContain(oldLevels);
        // current state is the remote's
        assertThat(alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.name/", alice.accessToken())
                .text("name")).isEqualTo("Remote room");

        // a later event citing the old power levels (sent by a server that had not seen the new ones) is
        // authorised with the stored outlier: nothing is fetched
        java.util.Map<de.tim.matrix.event.StateKey, String> authState = room.state();
        authState.put(de.tim.matrix.event.StateKey.POWER_LEVELS, oldLevels);
        Pdu late = room.build(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text")
                .put("body", "cites the old levels"), room.head(), authState, room.depth() + 1);
        JsonNode answer = room.push(a(), A, List.of(late));
        assertThat(answer.path(late.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(room.eventAuthRequests.get() + room.eventRequests.get()).isZero();
        assertThat(messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk").toString()).contains("cites the old levels");
    }
}
