package de.tim.homeserver;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-time gate for test hooks that hold a production call (a writer, the processing of a transaction): the held
 * thread calls {@link #hold}, the test waits with {@link #awaitHeld} until a call reached it and lets it go with
 * {@link #release}. A call is never held longer than 60 s.
 */
public final class TestGate {

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Called by the held thread: blocks until the test releases it. */
    public void hold() {
        held.countDown();
        try {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("held call never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a call reached the gate. */
    public void awaitHeld(Duration timeout) throws InterruptedException {
        if (!held.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no call reached the gate within " + timeout);
        }
    }

    public void release() {
        released.countDown();
    }
}
