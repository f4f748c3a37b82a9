package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;
import static de.tim.matrix.auth.TestRoom.BOB;
import static de.tim.matrix.auth.TestRoom.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rules 5–8 and 10, plus the redaction handling of room versions 3+. */
class EventAuthorizerTests {

    private static TestRoom withBobJoined(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        return room;
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule5SenderMustBeJoined(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.message(BOB, "m.room.message")).reason()).startsWith("5");
        room.accept(room.member(ALICE, BOB, "invite"));
        assertThat(room.check(room.message(BOB, "m.room.message")).reason()).startsWith("5");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule6ThirdPartyInviteNeedsInviteLevel(RoomVersion v) {
        TestRoom room = withBobJoined(v);
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100},\"invite\":10}"));
        assertThat(room.check(room.state(BOB, EventTypes.THIRD_PARTY_INVITE, "t", "{}")).reason()).startsWith("6: sender's");
        assertThat(room.check(room.state(ALICE, EventTypes.THIRD_PARTY_INVITE, "t", "{}")).reason()).startsWith("6: sender may");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule7RequiredPowerLevelForStateAndMessages(RoomVersion v) {
        TestRoom room = withBobJoined(v);
        assertThat(room.check(room.state(BOB, "m.room.topic", "", "{\"topic\":\"x\"}")).reason()).startsWith("7");
        assertThat(room.check(room.message(BOB, "m.room.message")).reason()).startsWith("10");
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "",
                "{\"users\":{\"" + ALICE + "\":100},\"events\":{\"m.room.topic\":0,\"m.room.message\":10}}"));
        assertThat(room.check(room.state(BOB, "m.room.topic", "", "{\"topic\":\"x\"}")).allowed()).isTrue();
        assertThat(room.check(room.message(BOB, "m.room.message")).reason()).startsWith("7");
        assertThat(room.check(room.message(BOB, EventTypes.REDACTION)).allowed()).as("events_default applies").isTrue();
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule8StateKeysOfOtherUsersAreProtected(RoomVersion v) {
        TestRoom room = withBobJoined(v);
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100},\"state_default\":0}"));
        assertThat(room.check(room.state(BOB, "org.example.profile", ALICE, "{}")).reason()).startsWith("8");
        assertThat(room.check(room.state(BOB, "org.example.profile", BOB, "{}")).allowed()).isTrue();
        assertThat(room.check(room.state(BOB, "org.example.profile", "plain", "{}")).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void aliasesEventsHaveNoSpecialRulesSinceV6(RoomVersion v) {
        TestRoom room = withBobJoined(v);
        // In v1-v5 anyone could send m.room.aliases with their server name as state key; now rule 7 applies.
        assertThat(room.check(room.state(BOB, EventTypes.ALIASES, "b.example", "{\"aliases\":[]}")).reason()).startsWith("7");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void redactionsApplyForRedactLevelOrSameServer(RoomVersion v) {
        TestRoom room = withBobJoined(v);
        room.accept(room.member(ALICE, CAROL, "invite"));
        room.accept(room.member(CAROL, CAROL, "join"));
        var bobsMessage = room.accept(room.message(BOB, "m.room.message"));
        var alicesMessage = room.accept(room.message(ALICE, "m.room.message"));
        var byCarol = room.accept(room.message(CAROL, EventTypes.REDACTION));
        PowerLevels levels = new AuthState(room.state, v).powerLevels();
        assertThat(RedactionPolicy.mayApply(byCarol, alicesMessage, levels)).as("same server").isTrue();
        assertThat(RedactionPolicy.mayApply(byCarol, bobsMessage, levels)).as("other server, level 0").isFalse();
        var byAlice = room.accept(room.message(ALICE, EventTypes.REDACTION));
        assertThat(RedactionPolicy.mayApply(byAlice, bobsMessage, levels)).as("redact level").isTrue();
    }
}
