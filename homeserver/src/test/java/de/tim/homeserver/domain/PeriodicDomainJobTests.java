package de.tim.homeserver.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PeriodicDomainJob} (the loop of the periodic jobs, e.g. the media expiry) with a registry of two domains on the
 * wire server, without Spring: rounds run for every domain, a failing domain stops neither the other nor later rounds,
 * and a stopped job runs no more rounds and can be started again.
 */
class PeriodicDomainJobTests {

    private MongoClient client;
    private DomainRegistry registry;
    private CountingJob job;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(MongoWireServers.shared().connectionString());
        String prefix = MongoWireServers.uniqueDatabaseName("periodic");
        registry = new DomainRegistry(client, new DomainProperties(List.of(config("one.test"), config("two.test")),
                prefix + "_central", prefix + "_", false, null), List.of());
        job = new CountingJob(registry);
    }

    @AfterEach
    void tearDown() {
        job.stop();
        client.close();
    }

    private static DomainProperties.DomainConfig config(String serverName) {
        return new DomainProperties.DomainConfig(serverName, null, null, null, null, null, null, null);
    }

    /** Counts rounds per domain; rounds of {@code one.test} fail. */
    private static final class CountingJob extends PeriodicDomainJob {

        final Map<String, AtomicInteger> rounds = new ConcurrentHashMap<>();

        CountingJob(DomainRegistry registry) {
            super("counting-job", registry, () -> Duration.ofMillis(20), true);
        }

        @Override
        protected void runFor(Domain domain, long now) {
            rounds.computeIfAbsent(domain.serverName(), d -> new AtomicInteger()).incrementAndGet();
            if (domain.serverName().equals("one.test")) {
                throw new IllegalStateException("this domain's database is down");
            }
        }

        int of(String serverName) {
            AtomicInteger count = rounds.get(serverName);
            return count == null ? 0 : count.get();
        }
    }

    @Test
    void everyDomainGetsItsRoundsAlthoughOneFails() {
        job.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> job.of("one.test") >= 3 && job.of("two.test") >= 3);
    }

    @Test
    void aStoppedJobRunsNoMoreRoundsAndStartsAgain() {
        job.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> job.of("two.test") >= 1);
        job.stop();
        assertThat(job.isRunning()).isFalse();
        int stoppedAt = job.of("two.test");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> job.of("two.test") == stoppedAt);

        job.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> job.of("two.test") > stoppedAt);
    }
}
