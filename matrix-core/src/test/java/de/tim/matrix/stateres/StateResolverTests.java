package de.tim.matrix.stateres;

import static de.tim.matrix.stateres.DagRoom.ALICE;
import static de.tim.matrix.stateres.DagRoom.BOB;
import static de.tim.matrix.stateres.DagRoom.CHARLIE;
import static de.tim.matrix.stateres.DagRoom.ELLA;
import static de.tim.matrix.stateres.DagRoom.ZARA;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conflict scenarios written from the algorithm description; the first five re-create the classic
 * scenarios of the state-res v2 proposal's test suite ("ban vs pl", "join rule evasion", "offtopic power
 * levels", "topic basic", "topic reset", "topic setting").
 */
class StateResolverTests {

    private static final StateKey TOPIC = StateKey.of("m.room.topic", "");

    private static String levels(String... userLevels) {
        StringBuilder users = new StringBuilder();
        for (int i = 0; i < userLevels.length; i += 2) {
            users.append(i == 0 ? "" : ",").append('"').append(userLevels[i]).append("\":").append(userLevels[i + 1]);
        }
        return "{\"users\":{" + users + "}}";
    }

    private static String topic(String t) {
        return "{\"topic\":\"" + t + "\"}";
    }

    /** Concurrent: Alice bans Bob while Bob (PL 50) re-sends power levels. The ban sorts first and Bob's PL fails. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void banVsPowerLevels(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "START");
        r.add("MA", ALICE, EventTypes.MEMBER, ALICE, DagRoom.join(), "PA");
        r.add("MB", ALICE, EventTypes.MEMBER, BOB, "{\"membership\":\"ban\"}", "MA");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "PA");
        Map<StateKey, EventId> state = r.stateBefore("MB", "PB");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PA");
        assertThat(r.nameAt(state, StateKey.member(BOB))).isEqualTo("MB");
        assertThat(r.nameAt(state, StateKey.member(ALICE))).isEqualTo("MA");
    }

    /** Join-rule change racing a join: the join rule (a power event) is applied first, the join is rejected. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void joinRuleEvasion(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("JR", ALICE, EventTypes.JOIN_RULES, "", "{\"join_rule\":\"invite\"}", "START");
        r.add("ME", ELLA, EventTypes.MEMBER, ELLA, DagRoom.join(), "START");
        Map<StateKey, EventId> state = r.stateBefore("JR", "ME");
        assertThat(r.nameAt(state, StateKey.JOIN_RULES)).isEqualTo("JR");
        assertThat(state).doesNotContainKey(StateKey.member(ELLA));
    }

    /** Bob raises Charlie, Charlie lowers himself; Alice's PA is an ancestor, so the latest valid chain wins. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void offtopicPowerLevels(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "START");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50", CHARLIE, "50"), "PA");
        r.add("PC", CHARLIE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50", CHARLIE, "0"), "PB");
        Map<StateKey, EventId> state = r.stateBefore("PC", "PA");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PC");
    }

    /** Bob's topic after his (concurrently revoked) power is undone by Alice's demotion. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void topicBasic(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("T1", ALICE, "m.room.topic", "", topic("1"), "START");
        r.add("PA1", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "T1");
        r.add("T2", ALICE, "m.room.topic", "", topic("2"), "PA1");
        r.add("PA2", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "0"), "T2");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "PA1");
        r.add("T3", BOB, "m.room.topic", "", topic("3"), "PB");
        Map<StateKey, EventId> state = r.stateBefore("PA2", "T3");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PA2");
        assertThat(r.nameAt(state, TOPIC)).isEqualTo("T2");
    }

    /** Bob's topic is reset to the unconflicted-era topic once Alice bans him. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void topicReset(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("T1", ALICE, "m.room.topic", "", topic("1"), "START");
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "T1");
        r.add("T2", BOB, "m.room.topic", "", topic("2"), "PA");
        r.add("MB", ALICE, EventTypes.MEMBER, BOB, "{\"membership\":\"ban\"}", "T2");
        Map<StateKey, EventId> state = r.stateBefore("MB", "T1");
        assertThat(r.nameAt(state, TOPIC)).isEqualTo("T1");
        assertThat(r.nameAt(state, StateKey.member(BOB))).isEqualTo("MB");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PA");
    }

    /** Like topic basic, but resolution happens at an intermediate merge and a later topic builds on it. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void topicSetting(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("T1", ALICE, "m.room.topic", "", topic("1"), "START");
        r.add("PA1", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "T1");
        r.add("T2", ALICE, "m.room.topic", "", topic("2"), "PA1");
        r.add("PA2", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "0"), "T2");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "50"), "PA1");
        r.add("T3", BOB, "m.room.topic", "", topic("3"), "PB");
        r.add("MZ1", ZARA, "m.room.message", null, "{\"body\":\"hi\"}", "PA2", "T3");
        r.add("T4", ALICE, "m.room.topic", "", topic("4"), "MZ1");
        Map<StateKey, EventId> state = r.stateBefore("T4", "MZ1");
        assertThat(r.nameAt(state, TOPIC)).isEqualTo("T4");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PA2");
    }

    /** Ban vs join race: Alice bans Ella while Ella joins the public room; the ban wins. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void banVsJoinRace(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("BAN", ALICE, EventTypes.MEMBER, ELLA, "{\"membership\":\"ban\"}", "START");
        r.add("JOIN", ELLA, EventTypes.MEMBER, ELLA, DagRoom.join(), "START");
        r.add("MSG", ELLA, "m.room.message", null, "{\"body\":\"hi\"}", "JOIN");
        Map<StateKey, EventId> state = r.stateBefore("BAN", "MSG");
        assertThat(r.nameAt(state, StateKey.member(ELLA))).isEqualTo("BAN");
    }

    /** Concurrent PL changes by two admins: the sender with higher power is ordered first, so the other one applies last. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void concurrentPowerLevelChangesByAdminsOfDifferentRank(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "80"), "START");
        // Alice demotes Bob; concurrently Bob promotes Charlie.
        r.add("PA2", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "0"), "PA");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "80", CHARLIE, "70"), "PA");
        Map<StateKey, EventId> state = r.stateBefore("PA2", "PB");
        // Alice (100) sorts before Bob (80): PA2 applies, then PB fails because Bob now has 0.
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PA2");
    }

    /**
     * Concurrent PL changes by equal-rank senders. Bob's join is in the auth difference (it is in the
     * auth chain of his PB but of nothing in the other branch), so it joins the power events and, as an
     * auth ancestor of PB, pushes PB behind Alice's PA2 in the ordering: PB is applied last and wins,
     * whichever order the states are given in.
     */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void concurrentPowerLevelChangesOfEqualRank(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "100"), "START");
        r.add("PB", BOB, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "100", CHARLIE, "10"), "PA");
        r.add("PA2", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", BOB, "100", ZARA, "10"), "PA");
        List<Map<StateKey, EventId>> states = List.of(r.stateAfter.get(r.id("PB")), r.stateAfter.get(r.id("PA2")));
        assertThat(StateResolver.authDifference(states, new AuthChains(r.source))).containsExactly(r.id("IMB"));
        Map<StateKey, EventId> state = r.stateBefore("PB", "PA2");
        assertThat(r.nameAt(state, StateKey.POWER_LEVELS)).isEqualTo("PB");
        assertThat(r.stateBefore("PA2", "PB")).isEqualTo(state);
    }

    /** The same race between two senders who are both in each other's auth chains: the later timestamp wins. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void concurrentPowerLevelChangesByTheSameSenderTakeTheLaterOne(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100"), "START");
        r.add("PX", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", CHARLIE, "10"), "PA");
        r.add("PY", ALICE, EventTypes.POWER_LEVELS, "", levels(ALICE, "100", ZARA, "10"), "PA");
        assertThat(r.nameAt(r.stateBefore("PX", "PY"), StateKey.POWER_LEVELS)).isEqualTo("PY");
        assertThat(r.nameAt(r.stateBefore("PY", "PX"), StateKey.POWER_LEVELS)).isEqualTo("PY");
    }

    /** Unconflicted state passes through untouched, and one state resolves to itself. */
    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void unconflictedStateIsKept(RoomVersion v) {
        DagRoom r = DagRoom.initial(v);
        r.add("T1", ALICE, "m.room.topic", "", topic("1"), "START");
        r.add("M1", ZARA, "m.room.message", null, "{\"body\":\"x\"}", "START");
        Map<StateKey, EventId> state = r.stateBefore("T1", "M1");
        assertThat(r.nameAt(state, TOPIC)).isEqualTo("T1");
        assertThat(r.nameAt(state, StateKey.CREATE)).isEqualTo("CREATE");
        Map<StateKey, EventId> single = r.stateAfter.get(r.id("T1"));
        assertThat(r.resolver.resolve(v, List.of(single), r.source)).isEqualTo(single);
    }
}
