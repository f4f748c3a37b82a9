package de.tim.embedded.mongo;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the project relies on from MongoDB, exercised through the official driver against the wire server. */
class EmbeddedMongoServerTests {

    @Test
    void insertFindUniqueIndexAndUpsertThroughTheDriver() {
        try (EmbeddedMongoServer server = EmbeddedMongoServer.inMemory();
             MongoClient client = MongoClients.create(server.connectionString())) {
            MongoCollection<Document> users = client.getDatabase("praxis_a").getCollection("users");
            users.createIndex(Indexes.ascending("localpart"), new IndexOptions().unique(true));

            users.insertOne(new Document("localpart", "alice").append("displayname", "Alice"));
            assertThat(users.find(eq("localpart", "alice")).first()).containsEntry("displayname", "Alice");

            assertThatThrownBy(() -> users.insertOne(new Document("localpart", "alice")))
                    .isInstanceOfSatisfying(MongoWriteException.class,
                            e -> assertThat(ErrorCategory.fromErrorCode(e.getCode())).isEqualTo(ErrorCategory.DUPLICATE_KEY));

            var upserted = users.updateOne(eq("localpart", "bob"), Updates.set("displayname", "Bob"),
                    new UpdateOptions().upsert(true));
            assertThat(upserted.getUpsertedId()).isNotNull();
            var updated = users.updateOne(eq("localpart", "bob"), Updates.set("displayname", "Robert"),
                    new UpdateOptions().upsert(true));
            assertThat(updated.getUpsertedId()).isNull();
            assertThat(users.countDocuments()).isEqualTo(2);
            assertThat(users.find(eq("localpart", "bob")).first()).containsEntry("displayname", "Robert");
        }
    }

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
