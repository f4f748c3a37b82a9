package de.tim.homeserver.room;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import de.tim.homeserver.TestGate;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Test hook: {@link RemoteEphemeral} that counts inbound {@code m.typing} EDUs and, when armed, holds the next one
 * (the processing of its transaction) until the test releases it. Import {@link Config} to replace the production bean.
 */
public class HoldingRemoteEphemeral extends RemoteEphemeral {

    private final AtomicInteger typingCalls = new AtomicInteger();
    private final AtomicReference<TestGate> armed = new AtomicReference<>();

    HoldingRemoteEphemeral(EphemeralRepository repository, StateRepository state, EventRepository events,
            StreamPositions positions, RoomNotifier notifier, RoomProperties properties, SyncSignals signals) {
        super(repository, state, events, positions, notifier, properties, signals);
    }

    /** How many {@code m.typing} EDUs reached this instance. */
    public int typingCalls() {
        return typingCalls.get();
    }

    /** Arms the next {@code m.typing} EDU. */
    public TestGate holdNextTyping() {
        TestGate hold = new TestGate();
        if (!armed.compareAndSet(null, hold)) {
            throw new IllegalStateException("already armed");
        }
        return hold;
    }

    @Override
    public boolean typing(Domain domain, String roomId, String userId, boolean typing) {
        typingCalls.incrementAndGet();
        TestGate hold = armed.getAndSet(null);
        if (hold != null) {
            hold.hold();
        }
        return super.typing(domain, roomId, userId, typing);
    }

    /** Replaces the production {@link RemoteEphemeral} with the holding one. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {

        @Bean
        @Primary
        HoldingRemoteEphemeral holdingRemoteEphemeral(EphemeralRepository repository, StateRepository state,
                EventRepository events, StreamPositions positions, RoomNotifier notifier, RoomProperties properties,
                SyncSignals signals) {
            return new HoldingRemoteEphemeral(repository, state, events, positions, notifier, properties, signals);
        }
    }
}
