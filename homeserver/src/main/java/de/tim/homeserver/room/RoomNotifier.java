package de.tim.homeserver.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Wakes long-polling {@code /sync} requests of a domain when something new was persisted: locally
 * (event appends, typing, receipts, and through {@link SyncSignals} to-device, device lists, account data,
 * presence) and, through the Kafka consumers, on other instances. Waiters block
 * on a future, which parks a virtual thread without holding a platform thread.
 */
@Component
public class RoomNotifier {

    private final ConcurrentMap<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Runnable> listeners = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

    /** The signal the next change of the domain completes; take it before checking for changes. */
    public CompletableFuture<Void> signal(String serverName) {
        return signals.computeIfAbsent(serverName, k -> new CompletableFuture<>());
    }

    /** Wakes the domain's waiters. */
    public void notifyLocal(String serverName, long pos) {
        CompletableFuture<Void> previous = signals.remove(serverName);
        if (previous != null) {
            previous.complete(null);
        }
        listeners.values().forEach(Runnable::run);
    }

    /**
     * Wakes the domain's waiting syncs only (not the {@link #onNotify} listeners, which are about room events):
     * for changes of other streams (to-device, device lists, account data, presence).
     */
    public void wakeSyncs(String serverName) {
        CompletableFuture<Void> previous = signals.remove(serverName);
        if (previous != null) {
            previous.complete(null);
        }
    }

    /** Registers a callback run on every notification (e.g. the outbox publisher). */
    public void onNotify(String name, Runnable listener) {
        listeners.put(name, listener);
    }

    /** Number of requests of the domain currently parked in {@link #await}. */
    int waiting(String serverName) {
        AtomicInteger count = waiting.get(serverName);
        return count == null ? 0 : count.get();
    }

    /** Waits for the signal at most {@code millis}; true if it fired. */
    public boolean await(String serverName, CompletableFuture<Void> signal, long millis) {
        if (millis <= 0) {
            return signal.isDone();
        }
        AtomicInteger count = waiting.computeIfAbsent(serverName, k -> new AtomicInteger());
        count.incrementAndGet();
        try {
            signal.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        } finally {
            count.decrementAndGet();
        }
    }
}
