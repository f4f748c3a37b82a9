package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;
import static de.tim.matrix.auth.TestRoom.BOB;
import static de.tim.matrix.auth.TestRoom.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule 9 (m.room.power_levels) and the power level defaults. */
class PowerLevelsRulesTests {

    /** Alice 100, Bob 50 (joined), Carol 50 (joined), kick 60. */
    private static TestRoom room(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        room.accept(room.member(ALICE, CAROL, "invite"));
        room.accept(room.member(CAROL, CAROL, "join"));
        room.accept(pl(room, ALICE, "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":50},"
                + "\"kick\":60,\"events\":{\"m.room.power_levels\":50,\"m.room.name\":70}"));
        return room;
    }

    private static de.tim.matrix.event.Pdu pl(TestRoom room, String sender, String body) {
        return room.state(sender, EventTypes.POWER_LEVELS, "", "{" + body + "}");
    }

    private static final String BASE = "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":50},"
            + "\"kick\":60,\"events\":{\"m.room.power_levels\":50,\"m.room.name\":70}";

    @Test
    void rule9_1And9_2StringValuesAreRejectedFromV10() {
        for (RoomVersion v : RoomVersion.values()) {
            TestRoom room = room(v);
            boolean stringsAccepted = v == RoomVersion.V9;
            assertThat(room.check(pl(room, ALICE, BASE + ",\"ban\":\"50\"")).allowed()).as("ban string %s", v)
                    .isEqualTo(stringsAccepted);
            assertThat(room.check(pl(room, ALICE, "\"users\":{\"" + ALICE + "\":100},\"events\":{\"m.room.name\":\" +070 \"}"))
                    .allowed()).as("events string %s", v).isEqualTo(stringsAccepted);
            assertThat(room.check(pl(room, ALICE, BASE + ",\"notifications\":[]")).allowed()).as("notifications array %s", v)
                    .isEqualTo(stringsAccepted);
        }
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule9_3UsersMustMapValidUserIdsToLevels(RoomVersion v) {
        TestRoom room = room(v);
        assertThat(room.check(pl(room, ALICE, "\"users\":{\"alice\":100}")).reason()).startsWith("9.3");
        assertThat(room.check(pl(room, ALICE, "\"users\":{\"" + ALICE + "\":\"lots\"}")).reason()).startsWith("9.3");
        assertThat(room.check(pl(room, ALICE, "\"users\":[]")).reason()).startsWith("9.3");
        assertThat(room.check(pl(room, ALICE, "\"users\":{\"" + ALICE + "\":true}")).reason()).startsWith("9.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule9_4FirstPowerLevelsEventIsAllowed(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        room.accept(room.create(ALICE, "{}"));
        room.accept(room.member(ALICE, ALICE, "join"));
        assertThat(room.check(pl(room, ALICE, "\"users\":{\"" + ALICE + "\":1000}")).reason()).startsWith("9.4");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule9_5TopLevelValues(RoomVersion v) {
        TestRoom room = room(v);
        assertThat(room.check(pl(room, BOB, BASE.replace("\"kick\":60", "\"kick\":40"))).reason())
                .as("current kick 60 above Bob's 50").startsWith("9.5.1");
        assertThat(room.check(pl(room, BOB, BASE + ",\"ban\":51")).reason()).startsWith("9.5.2");
        assertThat(room.check(pl(room, BOB, BASE + ",\"ban\":50")).allowed()).isTrue();
        assertThat(room.check(pl(room, BOB, BASE.replace("\"kick\":60,", ""))).reason())
                .as("removing kick 60").startsWith("9.5.1");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule9_6And9_7EventsAndNotifications(RoomVersion v) {
        TestRoom room = room(v);
        assertThat(room.check(pl(room, BOB, BASE.replace(",\"m.room.name\":70", ""))).reason()).startsWith("9.6");
        assertThat(room.check(pl(room, BOB, BASE.replace("\"m.room.name\":70", "\"m.room.name\":40"))).reason())
                .startsWith("9.6");
        assertThat(room.check(pl(room, BOB, BASE.replace("\"m.room.name\":70", "\"m.room.name\":70,\"m.room.topic\":51")))
                .reason()).startsWith("9.7");
        assertThat(room.check(pl(room, BOB, BASE + ",\"notifications\":{\"room\":60}")).reason()).startsWith("9.7");
        assertThat(room.check(pl(room, BOB, BASE + ",\"notifications\":{\"room\":20}")).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule9_8And9_9Users(RoomVersion v) {
        TestRoom room = room(v);
        String users = "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":50}";
        assertThat(room.check(pl(room, BOB, BASE.replace(users,
                "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":0}"))).reason())
                .as("demoting a peer").startsWith("9.8");
        assertThat(room.check(pl(room, BOB, BASE.replace(users, "\"users\":{\"" + ALICE + "\":100,\"" + CAROL + "\":50}")))
                .reason()).as("demoting oneself").startsWith("9.10");
        assertThat(room.check(pl(room, BOB, BASE.replace(users,
                "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":51,\"" + CAROL + "\":50}"))).reason())
                .as("promoting oneself above").startsWith("9.9");
        assertThat(room.check(pl(room, BOB, BASE.replace(users,
                "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":50,\"@dave:b.example\":50}")))
                .reason()).as("granting own level").startsWith("9.10");
        assertThat(room.check(pl(room, ALICE, BASE.replace(users,
                "\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50,\"" + CAROL + "\":99}"))).allowed()).isTrue();
    }

    @Test
    void defaultsFollowTheSpec() {
        PowerLevels empty = PowerLevels.of(StrictJson.parse("{}"), RoomVersion.V11);
        assertThat(empty.ban()).isEqualTo(50);
        assertThat(empty.kick()).isEqualTo(50);
        assertThat(empty.redact()).isEqualTo(50);
        assertThat(empty.invite()).isZero();
        assertThat(empty.eventLevel("m.room.topic", true)).isEqualTo(50);
        assertThat(empty.eventLevel("m.room.message", false)).isZero();
        assertThat(empty.userLevel(ALICE)).isZero();
        assertThat(empty.notificationLevel("room")).isEqualTo(50);
        PowerLevels absent = PowerLevels.absent(ALICE, RoomVersion.V11);
        assertThat(absent.userLevel(ALICE)).isEqualTo(100);
        assertThat(absent.userLevel(BOB)).isZero();
        assertThat(absent.eventLevel("m.room.topic", true)).isEqualTo(50);
        PowerLevels stringy = PowerLevels.of(StrictJson.parse("{\"users_default\":\" -005 \",\"ban\":\"+7\"}"), RoomVersion.V9);
        assertThat(stringy.userLevel(BOB)).isEqualTo(-5);
        assertThat(stringy.ban()).isEqualTo(7);
        PowerLevels stringyV10 = PowerLevels.of(StrictJson.parse("{\"ban\":\"7\"}"), RoomVersion.V10);
        assertThat(stringyV10.ban()).isEqualTo(50);
    }
}
