package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.tim.testsupport.MongoWireServers;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link DestinationQueue} against the wire server, without Spring. */
class DestinationQueueTests {

    private final DestinationQueue queue = new DestinationQueue("q", "seq", "q_cursors");
    private MongoClient client;
    private MongoDatabase db;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(MongoWireServers.shared().connectionString());
        db = client.getDatabase(MongoWireServers.uniqueDatabaseName("destqueue"));
        queue.initialize(db);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void entriesAreQueuedOncePerIdAndReadPerDestinationOldestFirst() {
        queue.enqueue(db, "b.test 2", "b.test", Map.of("seq", 2L, "x", "second"));
        queue.enqueue(db, "b.test 1", "b.test", Map.of("seq", 1L, "x", "first"));
        queue.enqueue(db, "c.test 3", "c.test", Map.of("seq", 3L, "x", "other"));
        // enqueueing again keeps the entry as it is
        queue.enqueue(db, "b.test 1", "b.test", Map.of("seq", 9L, "x", "changed"));

        assertThat(queue.destinations(db)).containsExactlyInAnyOrder("b.test", "c.test");
        List<Document> oldest = queue.oldest(db, "b.test", 10);
        assertThat(oldest).extracting(d -> d.getString("x")).containsExactly("first", "second");
        assertThat(queue.oldest(db, "b.test", 1)).extracting(d -> d.getString("_id")).containsExactly("b.test 1");

        queue.remove(db, List.of("b.test 1", "b.test 2"));
        assertThat(queue.destinations(db)).containsExactly("c.test");
        assertThat(queue.oldest(db, "b.test", 10)).isEmpty();
    }

    @Test
    void cursorsStartUnsetAndKeepTheLastPositionPerStream() {
        assertThat(queue.cursor(db, "events")).isEqualTo(-1);
        queue.setCursor(db, "events", 5);
        queue.setCursor(db, "events", 7);
        queue.setCursor(db, "device_lists", 3);
        assertThat(queue.cursor(db, "events")).isEqualTo(7);
        assertThat(queue.cursor(db, "device_lists")).isEqualTo(3);
    }
}
