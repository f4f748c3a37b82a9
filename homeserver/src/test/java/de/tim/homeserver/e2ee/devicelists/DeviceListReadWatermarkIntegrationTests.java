package de.tim.homeserver.e2ee.devicelists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.stream.StreamPositions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The device list read watermark (the shared {@code StreamWatermark}): a position allocated but not yet written
 * holds readers back (so they never skip the change), a written one releases them, a gap that never fills is
 * skipped after the grace time.
 */
class DeviceListReadWatermarkIntegrationTests extends HomeserverIntegrationTest {

    @Autowired
    DeviceListService deviceLists;
    @Autowired
    DeviceListRepository repository;
    @Autowired
    StreamPositions positions;
    @Autowired
    DomainRegistry registry;

    @Test
    void readersWaitForAllocatedPositionsUntilWrittenOrAbandoned() {
        Domain domain = registry.byServerName(A).orElseThrow();
        long before = deviceLists.upTo(domain);

        // a writer allocated a position and has not inserted its record yet
        long pending = positions.next(domain, StreamPositions.DEVICE_LISTS);
        long next = positions.next(domain, StreamPositions.DEVICE_LISTS);
        repository.insert(domain.database(), next, "@later:a.test");
        assertThat(deviceLists.upTo(domain)).isLessThan(pending).isGreaterThanOrEqualTo(before);

        // the writer completes: everything is readable
        repository.insert(domain.database(), pending, "@slow:a.test");
        assertThat(deviceLists.upTo(domain)).isEqualTo(next);
        assertThat(repository.usersChanged(domain.database(), before, next)).contains("@slow:a.test", "@later:a.test");

        // a writer that died between allocation and insert: skipped after the grace time
        long abandoned = positions.next(domain, StreamPositions.DEVICE_LISTS);
        long after = positions.next(domain, StreamPositions.DEVICE_LISTS);
        repository.insert(domain.database(), after, "@after:a.test");
        assertThat(deviceLists.upTo(domain)).isLessThan(abandoned);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> deviceLists.upTo(domain) >= after);
    }
}
