package de.tim.testsupport;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * The MongoDB operations the project relies on (CONTRIBUTING.md), checked identically against the
 * in-process wire server and, where Docker exists, a real MongoDB 7.
 */
final class MongoContract {

    private MongoContract() {
    }

    static void verify(MongoClient client, String database) {
        MongoCollection<Document> users = client.getDatabase(database).getCollection("users");
        users.createIndex(Indexes.ascending("localpart"), new IndexOptions().unique(true));

        users.insertOne(new Document("localpart", "alice").append("displayname", "Alice"));
        assertThat(users.find(eq("localpart", "alice")).first()).containsEntry("displayname", "Alice");

        assertThatThrownBy(() -> users.insertOne(new Document("localpart", "alice")))
                .isInstanceOfSatisfying(MongoWriteException.class,
                        e -> assertThat(ErrorCategory.fromErrorCode(e.getCode())).isEqualTo(ErrorCategory.DUPLICATE_KEY));

        assertThat(users.updateOne(eq("localpart", "bob"), Updates.set("displayname", "Bob"),
                new UpdateOptions().upsert(true)).getUpsertedId()).isNotNull();
        assertThat(users.updateOne(eq("localpart", "bob"), Updates.set("displayname", "Robert"),
                new UpdateOptions().upsert(true)).getUpsertedId()).isNull();
        assertThat(users.find(eq("localpart", "bob")).first()).containsEntry("displayname", "Robert");

        // stream positions are allocated with an atomic $inc on a counter document
        MongoCollection<Document> counters = client.getDatabase(database).getCollection("counters");
        FindOneAndUpdateOptions upsertAfter = new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER);
        assertThat(counters.findOneAndUpdate(eq("_id", "stream"), Updates.inc("value", 1L), upsertAfter).getLong("value")).isEqualTo(1L);
        assertThat(counters.findOneAndUpdate(eq("_id", "stream"), Updates.inc("value", 1L), upsertAfter).getLong("value")).isEqualTo(2L);
    }
}
