package de.tim.homeserver.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.tim.homeserver.TestGate;
import de.tim.homeserver.domain.Domain;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Test hook: {@link StreamPositions} whose next allocation of an armed (domain, stream) holds the allocating writer
 * after the position is allocated and before the write that carries it, until the test releases it. Import
 * {@link Config} to replace the production bean.
 */
public class PausingStreamPositions extends StreamPositions {

    private final Map<String, Pause> armed = new ConcurrentHashMap<>();

    PausingStreamPositions(StreamPositionRepository repository) {
        super(repository);
    }

    /** Arms the next allocation of {@code stream} in the domain {@code serverName}. */
    public Pause pauseNext(String serverName, String stream) {
        Pause pause = new Pause();
        if (armed.putIfAbsent(serverName + "\n" + stream, pause) != null) {
            throw new IllegalStateException("already armed");
        }
        return pause;
    }

    @Override
    public long next(Domain domain, String stream) {
        long pos = super.next(domain, stream);
        Pause pause = armed.remove(domain.serverName() + "\n" + stream);
        if (pause != null) {
            pause.hold(pos);
        }
        return pos;
    }

    /** One held writer. */
    public static final class Pause {

        private final TestGate gate = new TestGate();
        private volatile long position;

        private void hold(long pos) {
            position = pos;
            gate.hold();
        }

        /** Waits until a writer allocated its position and is held; returns that position. */
        public long awaitHeld(Duration timeout) throws InterruptedException {
            gate.awaitHeld(timeout);
            return position;
        }

        public void release() {
            gate.release();
        }
    }

    /** Replaces the production {@link StreamPositions} with the pausing one. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        @Primary
        PausingStreamPositions pausingStreamPositions(StreamPositionRepository repository) {
            return new PausingStreamPositions(repository);
        }
    }
}
