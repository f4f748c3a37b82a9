package de.tim.homeserver.federation.queue;

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
import com.mongodb.client.model.Filters;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.testsupport.MongoWireServers;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DestinationLeases} against the wire server (whose {@code findAndModify} is not atomic), without Spring: of
 * concurrent takers of a free or an expired lease exactly one wins, a held lease is not taken, and only its owner
 * gives it back.
 */
class DestinationLeasesTests {

    private static final int CALLERS = 16;
    private final DestinationLeases leases = new DestinationLeases(
            new FederationProperties(null, null, null, null, null, null, null, null, null));
    private MongoClient client;
    private MongoDatabase db;
    private Domain domain;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(MongoWireServers.shared().connectionString());
        String name = MongoWireServers.uniqueDatabaseName("leases");
        db = client.getDatabase(name);
        domain = new Domain("l.test", List.of(), name, null, null, null, null, null, null, db);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private int winners(String destination) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(CALLERS)) {
            for (int i = 0; i < CALLERS; i++) {
                String owner = "instance-" + i;
                results.add(threads.submit(() -> {
                    go.await();
                    return leases.take(domain, "sender", destination, owner);
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
    void exactlyOneOfConcurrentTakersOfAFreeLeaseWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            assertThat(winners("d" + round + ".test")).as("round %d", round).isEqualTo(1);
        }
    }

    @Test
    void exactlyOneOfConcurrentTakersOfAnExpiredLeaseWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String destination = "x" + round + ".test";
            db.getCollection(DestinationLeases.COLLECTION).insertOne(new Document("_id", "sender " + destination)
                    .append("owner", "crashed").append("until", System.currentTimeMillis() - 1));
            assertThat(winners(destination)).as("round %d", round).isEqualTo(1);
            assertThat(db.getCollection(DestinationLeases.COLLECTION).find(Filters.eq("_id", "sender " + destination)).first()
                    .getString("owner")).startsWith("instance-");
        }
    }

    @Test
    void aHeldLeaseIsNotTakenAndOnlyItsOwnerGivesItBack() {
        assertThat(leases.take(domain, "sender", "h.test", "one")).isTrue();
        assertThat(leases.take(domain, "sender", "h.test", "two")).isFalse();
        // another sender's queue for the same destination has a lease of its own
        assertThat(leases.take(domain, "other-sender", "h.test", "two")).isTrue();
        leases.release(domain, "sender", "h.test", "two");
        assertThat(leases.take(domain, "sender", "h.test", "two")).isFalse();
        leases.release(domain, "sender", "h.test", "one");
        assertThat(leases.take(domain, "sender", "h.test", "two")).isTrue();
    }
}
