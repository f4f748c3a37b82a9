package de.tim.homeserver.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class StreamPositionsIntegrationTests extends HomeserverIntegrationTest {

    @Autowired
    StreamPositions positions;
    @Autowired
    DomainRegistry registry;

    @Test
    void positionsAreUniqueMonotonicAndPerDomain() throws Exception {
        Domain a = registry.byServerName(A).orElseThrow();
        Domain b = registry.byServerName(B).orElseThrow();
        String stream = "test-" + System.nanoTime();
        assertThat(positions.current(a, stream)).isZero();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = IntStream.range(0, 8).<Future<?>>mapToObj(t -> pool.submit(() -> {
                long last = 0;
                for (int i = 0; i < 25; i++) {
                    long next = positions.next(a, stream);
                    assertThat(next).isGreaterThan(last);
                    last = next;
                    seen.add(next);
                }
            })).toList();
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(seen).hasSize(200);
        assertThat(positions.current(a, stream)).isEqualTo(200);
        assertThat(positions.nextBlock(a, stream, 10)).isEqualTo(210);
        assertThat(positions.next(b, stream)).isEqualTo(1);
    }
}
