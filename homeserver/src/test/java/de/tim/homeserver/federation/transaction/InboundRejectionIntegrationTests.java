package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rejected and soft-failed PDUs are kept but never reach clients: a rejected state event stays out of the
 * room state, {@code /sync} and {@code /messages}, is answered with the same error when sent again and may
 * be cited by later events; a soft-failed event (its sender was banned meanwhile) is hidden and not cited
 * by our events, but a later event citing it is accepted.
 */
class InboundRejectionIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;
    private String dave;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("rej-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        dave = "@dave:" + remote.serverName();
        room.send(dave, "m.room.member", dave, JSON.createObjectNode().put("membership", "join"));
        alice = registerA("alice");
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
    }

    private Pdu message(String sender, String body, List<String> prev, Map<StateKey, String> authState) {
        return room.build(sender, "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text").put("body", body),
                prev, authState, room.depth() + 1);
    }

    private List<String> bodies() {
        JsonNode chunk = messages(alice, room.roomId(), "?dir=b&limit=50").path("chunk");
        List<String> bodies = new ArrayList<>();
        chunk.forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")) {
                bodies.add(e.path("content").path("body").asText(""));
            }
        });
        Collections.reverse(bodies);
        return bodies;
    }

    private String roomName() {
        MatrixTestClient.Response name = alice.client().get(CS + "/rooms/" + enc(room.roomId()) + "/state/m.room.name/",
                alice.accessToken());
        return name.status() == 200 ? name.text("name") : null;
    }

    @Test
    void aRejectedEventStaysOutOfStateAndTimelinesAndIsAnsweredAgainWithoutNewChecks() {
        String since = sync(alice, "?timeout=0").text("next_batch");
        // dave (power 0) may not name the room: rejected against its auth events
        Pdu rename = room.build(dave, "m.room.name", "", JSON.createObjectNode().put("name", "Dave's room"), room.head(),
                room.state(), room.depth() + 1);
        JsonNode answer = room.push(a(), A, List.of(rename));
        String error = answer.path(rename.eventId().value()).path("error").asText();
        assertThat(error).isNotEmpty();
        assertThat(roomName()).isNull();
        assertThat(sync(alice, "?timeout=0&since=" + since).raw()).doesNotContain(rename.eventId().value())
                .doesNotContain("Dave's room");
        assertThat(messages(alice, room.roomId(), "?dir=b&limit=50").toString()).doesNotContain(rename.eventId().value());

        // not served to other servers either
        assertThat(remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(rename.eventId().value()), null).status())
                .isEqualTo(404);
        // sent again: the same error; the event is known, so it is not fetched either
        JsonNode again = room.push(a(), A, List.of(rename));
        assertThat(again.path(rename.eventId().value()).path("error").asText()).isEqualTo(error);

        // a later event citing the rejected one is accepted without asking for missing events
        room.add(rename);
        int missingRequests = room.missingEventsRequests.get();
        Pdu later = message(room.creator(), "after the rejected rename", room.head(), room.state());
        JsonNode laterAnswer = room.push(a(), A, List.of(later));
        assertThat(laterAnswer.path(later.eventId().value()).has("error")).as(laterAnswer.toString()).isFalse();
        assertThat(room.missingEventsRequests.get()).isEqualTo(missingRequests);
        assertThat(bodies()).containsExactly("after the rejected rename");
        assertThat(roomName()).isNull();

        // our next event does not cite the rejected event
        String reply = send(alice, room.roomId(), "reply");
        JsonNode replyEvent = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(reply), null).body();
        assertThat(replyEvent.path("pdus").get(0).path("prev_events").toString()).contains(later.eventId().value())
                .doesNotContain(rename.eventId().value());
    }

    @Test
    void aSoftFailedEventIsHiddenButMayBeCitedByLaterEvents() {
        List<String> beforeBan = room.head();
        Map<StateKey, String> stateBeforeBan = room.state();
        Pdu ban = room.send(room.creator(), "m.room.member", dave, JSON.createObjectNode().put("membership", "ban"));
        assertThat(room.push(a(), A, List.of(ban)).path(ban.eventId().value()).has("error")).isFalse();
        String since = sync(alice, "?timeout=0").text("next_batch");

        // dave had not seen the ban: his message is allowed by the state before it, not by the current state
        Pdu evading = message(dave, "evading the ban", beforeBan, stateBeforeBan);
        JsonNode answer = room.push(a(), A, List.of(evading));
        assertThat(answer.path(evading.eventId().value()).has("error")).as(answer.toString()).isFalse();
        assertThat(bodies()).isEmpty();
        assertThat(sync(alice, "?timeout=0&since=" + since).raw()).doesNotContain("evading the ban");

        // other servers may still fetch it
        MatrixTestClient.Response served = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/"
                + enc(evading.eventId().value()), null);
        assertThat(served.status()).as(served.raw()).isEqualTo(200);
        assertThat(served.body().path("pdus").get(0).path("content").path("body").asText()).isEqualTo("evading the ban");
        // not a forward extremity: our next event cites the ban only
        String local = send(alice, room.roomId(), "local");
        JsonNode localEvent = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(local), null).body();
        assertThat(localEvent.path("pdus").get(0).path("prev_events").toString()).doesNotContain(evading.eventId().value());

        // another server's event citing both branches is accepted and shown
        room.add(evading);
        Pdu merge = message(room.creator(), "merging both", List.of(local, evading.eventId().value()), room.state());
        JsonNode mergeAnswer = room.push(a(), A, List.of(merge));
        assertThat(mergeAnswer.path(merge.eventId().value()).has("error")).as(mergeAnswer.toString()).isFalse();
        assertThat(bodies()).containsExactly("local", "merging both");
        // get_missing_events from an event referencing it includes it
        MatrixTestClient.Response missing = remote.request(a(), A, "POST", "/_matrix/federation/v1/get_missing_events/"
                + enc(room.roomId()), Map.of("earliest_events", List.of(ban.eventId().value()),
                "latest_events", List.of(merge.eventId().value()), "limit", 10));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(200);
        assertThat(missing.raw()).contains("evading the ban");
        // sending the soft-failed event again changes nothing
        assertThat(room.push(a(), A, List.of(evading)).path(evading.eventId().value()).has("error")).isFalse();
        assertThat(bodies()).containsExactly("local", "merging both");
    }
}
