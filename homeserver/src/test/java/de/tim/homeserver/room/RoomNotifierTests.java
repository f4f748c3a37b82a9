package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Sync wake-ups of other streams wake the domain's waiters only, not the room-event listeners (outbox, federation). */
class RoomNotifierTests {

    @Test
    void wakeSyncsCompletesTheDomainsSignalWithoutRunningListeners() {
        RoomNotifier notifier = new RoomNotifier();
        AtomicInteger outbox = new AtomicInteger();
        notifier.onNotify("outbox", outbox::incrementAndGet);
        CompletableFuture<Void> a = notifier.signal("a.test");
        CompletableFuture<Void> b = notifier.signal("b.test");

        notifier.wakeSyncs("a.test");

        assertThat(a).isDone();
        assertThat(b).isNotDone();
        assertThat(outbox).hasValue(0);
        assertThat(notifier.signal("a.test")).isNotSameAs(a).isNotDone();
        assertThat(notifier.await("a.test", a, 1_000)).isTrue();

        notifier.notifyLocal("b.test", 1);
        assertThat(b).isDone();
        assertThat(outbox).hasValue(1);
    }
}
