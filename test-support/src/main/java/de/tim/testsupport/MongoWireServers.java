package de.tim.testsupport;

import de.tim.embedded.mongo.EmbeddedMongoServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * In-memory MongoDB wire-protocol servers for tests. {@link #shared()} gives one per JVM; tests that
 * share it isolate themselves with their own database names ({@link #uniqueDatabaseName(String)}).
 */
public final class MongoWireServers {

    private static EmbeddedMongoServer shared;
    private static long counter;

    private MongoWireServers() {
    }

    /** The JVM's shared in-memory server, started on first use. */
    public static synchronized EmbeddedMongoServer shared() {
        if (shared == null) {
            shared = EmbeddedMongoServer.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "shared-mongo-shutdown"));
        }
        return shared;
    }

    /** Points {@code spring.data.mongodb.uri} of a Spring test at the shared server. */
    public static void registerUri(DynamicPropertyRegistry registry) {
        registry.add("spring.data.mongodb.uri", () -> shared().connectionString());
    }

    /** A database name no other test in this JVM uses. */
    public static synchronized String uniqueDatabaseName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + (++counter);
    }
}
