package de.tim.homeserver.notification;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import de.tim.homeserver.domain.Domain;
import org.springframework.stereotype.Component;

/**
 * How far the push evaluation got per room ({@code notification_evaluated_up_to}), as seen by {@code /sync}:
 * the evaluation on this instance reports its progress here and wakes syncs waiting for it; progress made by
 * another instance (the consumer group spreads rooms over instances) is read from MongoDB, at most every
 * {@value #REREAD_MS} ms per room, however many syncs ask.
 */
@Component
class EvaluationProgress {

    static final long REREAD_MS = 50;

    private final NotificationRepository repository;
    private final ConcurrentMap<String, Seen> seen = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<Void>> signals = new ConcurrentHashMap<>();
    private final java.util.Set<String> reading = ConcurrentHashMap.newKeySet();

    private record Seen(long pos, long readAt) {
    }

    EvaluationProgress(NotificationRepository repository) {
        this.repository = repository;
    }

    private static String key(Domain domain, String roomId) {
        return domain.databaseName() + "\n" + roomId;
    }

    /**
     * The room's evaluated position (-1 before the first event), at most about {@value #REREAD_MS} ms old: of many
     * syncs asking at once, one reads MongoDB and the others take the value seen before.
     */
    long evaluatedUpTo(Domain domain, String roomId) {
        String key = key(domain, roomId);
        Seen s = seen.get(key);
        long now = System.currentTimeMillis();
        if (s != null && now - s.readAt() < REREAD_MS) {
            return s.pos();
        }
        if (s != null && !reading.add(key)) {
            return s.pos();
        }
        try {
            long stored = repository.evaluatedUpTo(domain.database(), roomId);
            return seen.merge(key, new Seen(stored, now), (a, b) -> new Seen(Math.max(a.pos(), b.pos()), b.readAt())).pos();
        } finally {
            reading.remove(key);
        }
    }

    /** The evaluation on this instance finished the room's events up to {@code pos} (stored already). */
    void advanced(Domain domain, String roomId, long pos) {
        seen.merge(key(domain, roomId), new Seen(pos, 0), (a, b) -> new Seen(Math.max(a.pos(), b.pos()), a.readAt()));
        CompletableFuture<Void> previous = signals.remove(domain.databaseName());
        if (previous != null) {
            previous.complete(null);
        }
    }

    /** The signal the next local progress of the domain completes; take it before checking. */
    CompletableFuture<Void> signal(Domain domain) {
        return signals.computeIfAbsent(domain.databaseName(), k -> new CompletableFuture<>());
    }

    /** Parks the (virtual) thread until the signal fires or {@code millis} pass. */
    static void await(CompletableFuture<Void> signal, long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            signal.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            // look again
        }
    }
}
