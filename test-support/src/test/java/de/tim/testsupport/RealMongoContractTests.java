package de.tim.testsupport;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Smoke test against a real MongoDB 7: runs where Docker exists, skips cleanly elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoContractTests {

    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

    @Test
    void realMongoFulfilsTheContract() {
        try (MongoClient client = MongoClients.create(MONGO.getConnectionString())) {
            MongoContract.verify(client, "contract");
        }
    }
}
