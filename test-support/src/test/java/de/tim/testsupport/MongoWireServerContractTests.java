package de.tim.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.Test;

class MongoWireServerContractTests {

    @Test
    void wireServerFulfilsTheContract() {
        try (MongoClient client = MongoClients.create(MongoWireServers.shared().connectionString())) {
            MongoContract.verify(client, MongoWireServers.uniqueDatabaseName("contract"));
        }
    }
}
