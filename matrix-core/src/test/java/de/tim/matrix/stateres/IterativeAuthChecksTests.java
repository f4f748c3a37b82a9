package de.tim.matrix.stateres;

import static de.tim.matrix.stateres.DagRoom.ALICE;
import static de.tim.matrix.stateres.DagRoom.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IterativeAuthChecksTests {

    private final IterativeAuthChecks checks = new IterativeAuthChecks(new EventAuthorizer((e, s) -> true));

    @Test
    void missingStateKeysComeFromNonRejectedAuthEvents() {
        DagRoom r = DagRoom.initial(RoomVersion.V11);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}", "START");
        Pdu topic = r.add("T", BOB, "m.room.topic", "", "{\"topic\":\"t\"}", "PA");
        // A state without any power levels event: the topic's cited PA fills the gap.
        Map<StateKey, EventId> state = new HashMap<>(r.stateAfter.get(r.id("START")));
        state.remove(StateKey.POWER_LEVELS);
        ResolutionEvents events = new ResolutionEvents(r.source);
        assertThat(checks.apply(state, List.of(topic), events, RoomVersion.V11)).containsEntry(StateKey.of("m.room.topic", ""), topic.eventId());

        // If PA was rejected it must not be used: Bob then has no power (creator rule) and the topic fails.
        EventSource rejectingPa = new EventSource() {
            @Override
            public Optional<Pdu> event(EventId id) {
                return r.source.event(id);
            }

            @Override
            public boolean isRejected(EventId id) {
                return id.equals(r.id("PA"));
            }
        };
        assertThat(checks.apply(state, List.of(topic), new ResolutionEvents(rejectingPa), RoomVersion.V11))
                .doesNotContainKey(StateKey.of("m.room.topic", ""));
    }

    @Test
    void stateEntriesOverrideTheEventsOwnAuthEvents() {
        DagRoom r = DagRoom.initial(RoomVersion.V10);
        r.add("PA", ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":50}}", "START");
        Pdu topic = r.add("T", BOB, "m.room.topic", "", "{\"topic\":\"t\"}", "PA");
        // The state at the time of the check says Bob is banned, although his topic cites his join.
        Pdu ban = r.add("BAN", ALICE, EventTypes.MEMBER, BOB, "{\"membership\":\"ban\"}", "PA");
        Map<StateKey, EventId> state = new HashMap<>(r.stateAfter.get(r.id("BAN")));
        Map<StateKey, EventId> result = checks.apply(state, List.of(topic), new ResolutionEvents(r.source), RoomVersion.V10);
        assertThat(result).doesNotContainKey(StateKey.of("m.room.topic", ""));
        assertThat(result).containsEntry(StateKey.member(BOB), ban.eventId());
    }
}
