package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InboundTransactionRepository} against the wire server (whose {@code findAndModify} is not atomic), without
 * Spring: of many concurrent claims of one transaction exactly one wins, and so does exactly one of many concurrent
 * takeovers of an expired claim; renewals, releases and answers touch only what they should.
 */
class InboundTransactionRepositoryTests {

    private static final String ORIGIN = "remote.test";
    private static final int CALLERS = 16;

    private final InboundTransactionRepository repository = new InboundTransactionRepository();
    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(MongoWireServers.shared().connectionString());
        db = client.getDatabase(MongoWireServers.uniqueDatabaseName("inboundtxn"));
        repository.initialize(db);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private interface Attempt {
        boolean run(int caller);
    }

    private int winners(Attempt attempt) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(CALLERS)) {
            for (int i = 0; i < CALLERS; i++) {
                int caller = i;
                results.add(threads.submit(() -> {
                    go.await();
                    return attempt.run(caller);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> result : results) {
                won += result.get() ? 1 : 0;
            }
            return won;
        }
    }

    @Test
    void exactlyOneOfConcurrentClaimsWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String txnId = "t" + round;
            long now = System.currentTimeMillis();
            assertThat(winners(caller -> repository.claim(db, ORIGIN, txnId, "instance-" + caller, now + 60_000, now)))
                    .as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void exactlyOneOfConcurrentTakeoversOfAnExpiredClaimWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String txnId = "t" + round;
            long now = System.currentTimeMillis();
            assertThat(repository.claim(db, ORIGIN, txnId, "dead", now - 1, now - 60_000)).isTrue();
            InboundTransactionRepository.Stored expired = repository.find(db, ORIGIN, txnId).orElseThrow();
            assertThat(winners(caller -> repository.takeOver(db, ORIGIN, txnId, expired, "instance-" + caller, now + 60_000, now)))
                    .as("round %d", round).isEqualTo(1);
            assertThat(repository.find(db, ORIGIN, txnId).orElseThrow().owner()).startsWith("instance-");
        }
    }

    @Test
    void renewReleaseAndAnswerActOnlyOnTheOwnersUnansweredClaim() {
        long now = System.currentTimeMillis();
        assertThat(repository.claim(db, ORIGIN, "t", "one", now + 1000, now)).isTrue();
        repository.renew(db, ORIGIN, "t", "two", now + 9000);
        assertThat(repository.find(db, ORIGIN, "t").orElseThrow().until()).isEqualTo(now + 1000);
        repository.renew(db, ORIGIN, "t", "one", now + 5000);
        assertThat(repository.find(db, ORIGIN, "t").orElseThrow().until()).isEqualTo(now + 5000);
        repository.release(db, ORIGIN, "t", "two");
        assertThat(repository.find(db, ORIGIN, "t")).isPresent();

        repository.save(db, ORIGIN, "t", "{\"pdus\":{}}", now);
        InboundTransactionRepository.Stored answered = repository.find(db, ORIGIN, "t").orElseThrow();
        assertThat(answered.answered()).isTrue();
        assertThat(answered.owner()).isNull();
        repository.release(db, ORIGIN, "t", "one");
        assertThat(repository.find(db, ORIGIN, "t").orElseThrow().answer()).isEqualTo("{\"pdus\":{}}");
        assertThat(repository.claim(db, ORIGIN, "t", "three", now + 1000, now)).isFalse();

        assertThat(repository.claim(db, ORIGIN, "u", "one", now + 1000, now)).isTrue();
        repository.release(db, ORIGIN, "u", "one");
        assertThat(repository.find(db, ORIGIN, "u")).isEmpty();
    }
}
