package de.tim.embedded.mongo;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 backend of the wire server keeps data across restarts (the operation contract is tested in test-support). */
class EmbeddedMongoServerTests {

    @Test
    void h2BackendKeepsDataAcrossRestarts(@TempDir Path dir) {
        Path file = dir.resolve("mongo.mv");
        try (EmbeddedMongoServer server = EmbeddedMongoServer.persistent(file, 0);
             MongoClient client = MongoClients.create(server.connectionString())) {
            client.getDatabase("klinik_b").getCollection("rooms").insertOne(new Document("_id", "!r:klinik-b"));
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.persistent(file, 0);
             MongoClient client = MongoClients.create(server.connectionString())) {
            assertThat(client.getDatabase("klinik_b").getCollection("rooms").find(eq("_id", "!r:klinik-b")).first())
                    .isNotNull();
        }
    }
}
