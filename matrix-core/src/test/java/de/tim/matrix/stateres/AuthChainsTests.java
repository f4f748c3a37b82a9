package de.tim.matrix.stateres;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthChainsTests {

    @Test
    void authChainIsTheTransitiveClosureOfAuthEvents() {
        DagRoom r = DagRoom.initial(RoomVersion.V11);
        AuthChains chains = new AuthChains(r.source);
        assertThat(chains.authChain(r.id("CREATE"))).isEmpty();
        assertThat(chains.authChain(r.id("IPOWER"))).containsExactlyInAnyOrder(r.id("CREATE"), r.id("IMA"));
        assertThat(chains.authChain(r.id("IMB"))).containsExactlyInAnyOrder(r.id("CREATE"), r.id("IMA"),
                r.id("IPOWER"), r.id("IJR"));
    }

    @Test
    void eachEventIsFetchedOnceAcrossCalls() {
        DagRoom r = DagRoom.initial(RoomVersion.V11);
        Map<EventId, AtomicInteger> fetches = new HashMap<>();
        EventSource counting = id -> {
            fetches.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return r.source.event(id);
        };
        AuthChains chains = new AuthChains(counting);
        chains.authChain(r.id("IMZ"));
        chains.authChain(r.id("IMC"));
        chains.authChain(r.id("IMB"));
        assertThat(fetches.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    }

    @Test
    void authDifferenceContainsOnlyEventsNotInEveryChain() {
        DagRoom r = DagRoom.initial(RoomVersion.V10);
        r.add("PA", DagRoom.ALICE, "m.room.power_levels", "", "{\"users\":{\"" + DagRoom.ALICE + "\":100}}", "START");
        r.add("T", DagRoom.ALICE, "m.room.topic", "", "{\"topic\":\"t\"}", "PA");
        Map<StateKey, EventId> a = r.stateAfter.get(r.id("T"));
        Map<StateKey, EventId> b = r.stateAfter.get(r.id("START"));
        AuthChains chains = new AuthChains(id -> Optional.ofNullable(r.all.get(id)));
        assertThat(StateResolver.authDifference(List.of(a, b), chains)).containsExactly(r.id("PA"));
    }
}
