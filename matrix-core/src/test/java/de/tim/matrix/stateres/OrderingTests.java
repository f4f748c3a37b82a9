package de.tim.matrix.stateres;

import static de.tim.matrix.stateres.DagRoom.ALICE;
import static de.tim.matrix.stateres.DagRoom.BOB;
import static de.tim.matrix.stateres.DagRoom.CHARLIE;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two orderings of the algorithm, checked directly. */
class OrderingTests {

    @Test
    void reverseTopologicalPowerOrderingPutsAuthAncestorsFirstThenPowerThenTimestamp() {
        DagRoom r = DagRoom.initial(RoomVersion.V11);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}", "START");
        r.add("TB", BOB, "m.room.topic", "", "{\"topic\":\"b\"}", "PA");
        r.add("TC", CHARLIE, "m.room.topic", "", "{\"topic\":\"c\"}", "PA");
        r.add("TA", ALICE, "m.room.topic", "", "{\"topic\":\"a\"}", "PA");
        ResolutionEvents events = new ResolutionEvents(r.source);
        List<Pdu> input = List.of(r.byName.get("TC"), r.byName.get("TB"), r.byName.get("TA"), r.byName.get("PA"));
        List<Pdu> sorted = ReverseTopologicalPowerOrdering.sort(input, events, RoomVersion.V11);
        // PA is an auth ancestor of all; then Alice (100), Bob (50), Charlie (0).
        assertThat(sorted).extracting(r::nameOf).containsExactly("PA", "TA", "TB", "TC");
    }

    @Test
    void senderPowerWithoutPowerLevelsComesFromTheCreateEvent() {
        for (RoomVersion v : RoomVersion.values()) {
            DagRoom r = DagRoom.initial(v);
            ResolutionEvents events = new ResolutionEvents(r.source);
            assertThat(ReverseTopologicalPowerOrdering.senderPowerLevel(r.byName.get("IMA"), events, v)).isEqualTo(100);
            assertThat(ReverseTopologicalPowerOrdering.senderPowerLevel(r.byName.get("IMB"), events, v)).isZero();
        }
    }

    @Test
    void mainlineOrderingPutsEventsBasedOnOlderPowerLevelsFirst() {
        DagRoom r = DagRoom.initial(RoomVersion.V10);
        r.add("P1", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}", "START");
        r.add("X1", BOB, "m.room.topic", "", "{\"topic\":\"1\"}", "P1");
        r.add("P2", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":51}}", "X1");
        r.add("X2", BOB, "m.room.topic", "", "{\"topic\":\"2\"}", "P2");
        r.add("X0", ALICE, "m.room.name", "", "{\"name\":\"n\"}", "P2");
        ResolutionEvents events = new ResolutionEvents(r.source);
        List<Pdu> sorted = MainlineOrdering.sort(List.of(r.byName.get("X0"), r.byName.get("X2"), r.byName.get("X1")),
                Optional.of(r.byName.get("P2")), events);
        // X1 cites P1 (position 1), X2 and X0 cite P2 (position 0, ordered by timestamp).
        assertThat(sorted).containsExactly(r.byName.get("X1"), r.byName.get("X2"), r.byName.get("X0"));
        List<Pdu> noMainline = MainlineOrdering.sort(List.of(r.byName.get("X2"), r.byName.get("X1")), Optional.empty(), events);
        assertThat(noMainline).containsExactly(r.byName.get("X1"), r.byName.get("X2"));
    }

    @Test
    void eventSourceOfServesGivenEvents() {
        DagRoom r = DagRoom.initial(RoomVersion.V11);
        EventSource source = EventSource.of(r.all.values());
        assertThat(source.event(r.id("IMA"))).contains(r.byName.get("IMA"));
        assertThat(source.event(new de.tim.matrix.id.EventId("$missing"))).isEmpty();
        assertThat(de.tim.matrix.event.PduBuilder.depthAfter(List.of(r.byName.get("IMA"), r.byName.get("START"))))
                .isEqualTo(r.byName.get("START").depth() + 1);
    }
}
