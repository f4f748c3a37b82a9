package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;
import static de.tim.matrix.auth.TestRoom.AUTHORIZER;
import static de.tim.matrix.auth.TestRoom.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rules 1 (create), 2 (auth events) and 3 (m.federate). */
class CreateAndAuthEventsRulesTests {

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule1AllowsAWellFormedCreate(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        assertThat(room.check(room.create(ALICE, "{}")).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule1_1RejectsCreateWithPrevEvents(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        ObjectNode content = StrictJson.parseObject("{\"creator\":\"" + ALICE + "\"}");
        Pdu create = room.build(ALICE, EventTypes.CREATE, "", content, List.of(new EventId("$x")), List.of());
        assertThat(room.check(create).reason()).startsWith("1.1");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule1_2RejectsCreateFromAnotherDomain(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        assertThat(room.check(room.create(BOB, "{}")).reason()).startsWith("1.2");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule1_3RejectsUnknownRoomVersion(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        Pdu create = room.build(ALICE, EventTypes.CREATE, "",
                StrictJson.parseObject("{\"creator\":\"" + ALICE + "\",\"room_version\":\"99\"}"), List.of(), List.of());
        assertThat(room.check(create).reason()).startsWith("1.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule1AppliesToCreateEventsWithAnyStateKey(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu second = room.state(ALICE, EventTypes.CREATE, "x", "{\"creator\":\"" + ALICE + "\"}");
        assertThat(room.check(second).reason()).startsWith("1.1");
    }

    @Test
    void rule1_4CreatorIsRequiredUntilV10ButNotInV11() {
        for (RoomVersion v : RoomVersion.values()) {
            TestRoom room = new TestRoom(v);
            Pdu create = room.build(ALICE, EventTypes.CREATE, "", StrictJson.parseObject("{\"room_version\":\"" + v.id() + "\"}"),
                    List.of(), List.of());
            assertThat(room.check(create).allowed()).as("version %s", v).isEqualTo(v == RoomVersion.V11);
        }
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2AcceptsTheSelectedAuthEvents(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu msg = room.message(ALICE, "m.room.message");
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, authEventsOf(room, msg), id -> false).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2_1RejectsDuplicateTypeAndStateKey(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu oldPl = room.state.get(StateKey.POWER_LEVELS);
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100},\"kick\":40}"));
        Pdu msg = room.message(ALICE, "m.room.message");
        List<Pdu> auth = new ArrayList<>(authEventsOf(room, msg));
        auth.add(oldPl);
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, auth, id -> false).reason()).startsWith("2.1");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2_2RejectsAuthEventsOutsideTheSelection(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu msg = room.message(ALICE, "m.room.message");
        List<Pdu> auth = new ArrayList<>(authEventsOf(room, msg));
        auth.add(room.state.get(StateKey.JOIN_RULES));
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, auth, id -> false).reason()).startsWith("2.2");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2_3RejectsRejectedAuthEvents(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu msg = room.message(ALICE, "m.room.message");
        EventId pl = room.state.get(StateKey.POWER_LEVELS).eventId();
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, authEventsOf(room, msg), pl::equals).reason()).startsWith("2.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2_4RejectsMissingCreate(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu msg = room.message(ALICE, "m.room.message");
        List<Pdu> auth = new ArrayList<>(authEventsOf(room, msg));
        auth.remove(room.state.get(StateKey.CREATE));
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, auth, id -> false).reason()).startsWith("2.4");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule2RejectsAuthEventsFromAnotherRoom(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        Pdu msg = room.message(ALICE, "m.room.message");
        List<Pdu> auth = new ArrayList<>(authEventsOf(room, msg));
        Pdu pl = room.state.get(StateKey.POWER_LEVELS);
        var otherRoom = pl.json();
        otherRoom.put("room_id", "!other:a.example");
        auth.set(auth.indexOf(pl), Pdu.fromJson(otherRoom, v));
        assertThat(AUTHORIZER.checkAgainstAuthEvents(msg, auth, id -> false).reason()).contains("another room");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule3RejectsForeignSendersInUnfederatedRooms(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        room.accept(room.create(ALICE, "{\"m.federate\":false}"));
        room.accept(room.member(ALICE, ALICE, "join"));
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", "{\"join_rule\":\"public\"}"));
        assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("3");
        assertThat(room.check(room.member(TestRoom.CAROL, TestRoom.CAROL, "join")).allowed()).isTrue();
    }

    static List<Pdu> authEventsOf(TestRoom room, Pdu event) {
        List<Pdu> result = new ArrayList<>();
        for (EventId id : event.authEvents()) {
            room.state.values().stream().filter(e -> e.eventId().equals(id)).forEach(result::add);
        }
        return result;
    }
}
