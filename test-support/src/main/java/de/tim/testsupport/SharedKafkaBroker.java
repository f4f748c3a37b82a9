package de.tim.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import de.tim.embedded.kafka.EmbeddedKafkaBroker;

/**
 * One real KRaft broker per test JVM, started on first use on free ports with a temporary log
 * directory, stopped and deleted when the JVM exits. Tests isolate themselves by topic names and
 * consumer group ids, not by brokers.
 */
public final class SharedKafkaBroker {

    private static EmbeddedKafkaBroker broker;

    private SharedKafkaBroker() {
    }

    /** Bootstrap servers of the shared broker, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            Path dir = tempDir();
            broker = EmbeddedKafkaBroker.builder(dir).build().start();
            EmbeddedKafkaBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                deleteRecursively(dir);
            }, "shared-kafka-shutdown"));
        }
        return broker.bootstrapServers();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tim-kafka-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
