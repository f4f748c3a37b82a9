package de.tim.embedded.mongo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB wire-protocol server in this JVM ({@code mongo-java-server}). Production code reaches it
 * only through the official MongoDB driver, exactly as it would reach a real MongoDB.
 *
 * <p>Two backends: memory (tests) and an H2 file (the local stack, so data survives a restart).
 * See CONTRIBUTING.md for the MongoDB features code may rely on so it runs here and on MongoDB 7/8.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final MongoServer server;
    private final InetSocketAddress address;
    private final String description;

    private EmbeddedMongoServer(MongoBackend backend, String host, int port, String description) {
        this.server = new MongoServer(backend);
        server.bind(host, port);
        this.address = server.getLocalAddress();
        this.description = description;
        log.info("Embedded MongoDB wire server ({}) listening on {}", description, connectionString());
    }

    /** An in-memory server on a free loopback port. */
    public static EmbeddedMongoServer inMemory() {
        return new EmbeddedMongoServer(new MemoryBackend(), "127.0.0.1", 0, "memory");
    }

    /**
     * A server persisting to an H2 file; reopening the same file restores all databases.
     *
     * @param file the H2 database file (created if missing)
     * @param port the port to listen on, 0 for a free one
     */
    public static EmbeddedMongoServer persistent(Path file, int port) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory for " + file, e);
        }
        return new EmbeddedMongoServer(new H2Backend(file.toAbsolutePath().toString()), "127.0.0.1", port,
                "H2 file " + file);
    }

    public String connectionString() {
        return "mongodb://" + address.getHostString() + ":" + address.getPort();
    }

    public int port() {
        return address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        log.info("Embedded MongoDB wire server ({}) stopped", description);
    }
}
