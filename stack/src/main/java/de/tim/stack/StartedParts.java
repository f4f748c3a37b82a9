package de.tim.stack;

import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a process of the stack ({@link LocalStack}, {@link PeerDomain}) has started, stopped in reverse start order:
 * the applications before the Kafka broker and MongoDB they use. A part that fails to stop is logged and the others
 * still stop; closing twice stops nothing twice.
 */
final class StartedParts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    private record Part(String name, AutoCloseable closeable) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();

    /** A started part, named in the log if stopping it fails. */
    synchronized void add(String name, AutoCloseable part) {
        parts.push(new Part(name, part));
    }

    @Override
    public void close() {
        Part part;
        while ((part = next()) != null) {
            try {
                part.closeable().close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part.name(), e.toString());
            }
        }
    }

    private synchronized Part next() {
        return parts.poll();
    }
}
