package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.CanonicalJson;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An append interrupted after the room head moved (write intent recorded, event not inserted) is
 * completed by the next append to the room or by the start-up recovery, exactly once.
 */
class EventPersisterRecoveryIntegrationTests extends RoomTestSupport {

    @Autowired
    DomainRegistry registry;
    @Autowired
    RoomRepository rooms;
    @Autowired
    EventRepository events;
    @Autowired
    EventPersister persister;
    @Autowired
    OutboxRepository outbox;

    @Test
    void interruptedAppendIsCompletedByTheNextAppend() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        String crashed = interruptedTopicChange(alice, roomId, "after the crash");
        String next = send(alice, roomId, "next");
        assertRecovered(alice, roomId, crashed);
        List<String> ids = messages(alice, roomId, "?dir=b&limit=2").path("chunk").findValuesAsText("event_id");
        assertThat(ids).containsExactly(next, crashed);
    }

    @Test
    void interruptedAppendIsCompletedAtStartUp() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice);
        String crashed = interruptedTopicChange(alice, roomId, "recovered");
        persister.recover(domain());
        persister.recover(domain());
        assertRecovered(alice, roomId, crashed);
    }

    private void assertRecovered(TestUser alice, String roomId, String eventId) {
        assertThat(rooms.find(domain().database(), roomId).get("pending")).isNull();
        assertThat(alice.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.topic", alice.accessToken()).body()
                .path("topic").asText()).isNotEmpty();
        assertThat(alice.client().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(eventId), alice.accessToken()).status())
                .isEqualTo(200);
        // recorded in the outbox by the recovery and published from there
        await().atMost(Duration.ofSeconds(30)).until(() -> !outbox.contains(domain().database(), eventId));
    }

    private Domain domain() {
        return registry.byServerName(A).orElseThrow();
    }

    /** Steps 1–3 of an append (head moved, intent recorded), then "crash". */
    private String interruptedTopicChange(TestUser user, String roomId, String topic) {
        Domain domain = domain();
        Document room = rooms.find(domain.database(), roomId);
        Map<de.tim.matrix.event.StateKey, StateEntry> state = new StateRepository().resolve(domain.database(),
                room.getString("state_group"));
        Pdu pdu = PduBuilder.forVersion(RoomVersion.fromId(room.getString("version")).orElseThrow())
                .roomId(RoomId.parse(roomId)).sender(UserId.parse(user.userId())).type("m.room.topic").stateKey("")
                .content(JsonNodeFactory.instance.objectNode().put("topic", topic))
                .prevEvents(room.getList("extremities", String.class).stream().map(EventId::new).toList())
                .authEvents(List.of(new EventId(state.get(de.tim.matrix.event.StateKey.CREATE).eventId()),
                        new EventId(state.get(de.tim.matrix.event.StateKey.POWER_LEVELS).eventId()),
                        new EventId(state.get(de.tim.matrix.event.StateKey.member(user.userId())).eventId())))
                .depth(room.getLong("depth") + 1).originServerTs(System.currentTimeMillis())
                .build(ServerName.parse(domain.serverName()), domain.signingKey());
        String group = new StateRepository().createGroup(domain.database(), roomId, room.getString("state_group"),
                pdu.stateTuple().orElseThrow(), EventPersister.entryOf(pdu));
        Document intent = new Document("event_id", pdu.eventId().value()).append("version", pdu.roomVersion().id())
                .append("pdu", CanonicalJson.encodeToString(pdu.json())).append("sg_before", room.getString("state_group"))
                .append("sg_after", group);
        assertThat(rooms.advanceHead(domain.database(), roomId, room.getLong("seq"), pdu.eventId().value(), pdu.depth(), group,
                intent)).isTrue();
        assertThat(events.find(domain.database(), pdu.eventId().value())).isNull();
        return pdu.eventId().value();
    }
}
