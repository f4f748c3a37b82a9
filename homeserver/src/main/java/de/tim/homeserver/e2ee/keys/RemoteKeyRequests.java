package de.tim.homeserver.e2ee.keys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Key queries and claims for users of other servers, all servers at once: each server's request runs on its own
 * virtual thread, and the caller waits for all of them together up to one deadline. A server that has not answered
 * by then is cancelled (its thread interrupted, which aborts the federation request) and counts as a failure, like
 * one that was unreachable; so one slow server costs the caller at most the deadline, whatever the number of servers.
 */
@Component
class RemoteKeyRequests implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RemoteKeyRequests.class);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** Requests under way, per server; {@link #await} collects them, closing cancels those still running. */
    static final class Pending implements AutoCloseable {
        private final Map<String, Future<Optional<ObjectNode>>> byServer = new LinkedHashMap<>();

        @Override
        public void close() {
            byServer.values().forEach(f -> f.cancel(true));
        }
    }

    /** Starts one request per server (each an answer, or empty when the server could not be asked). */
    Pending start(Map<String, Callable<Optional<ObjectNode>>> requests) {
        Pending pending = new Pending();
        requests.forEach((server, request) -> pending.byServer.put(server, executor.submit(request)));
        return pending;
    }

    /**
     * The answers in start order, waiting at most until {@code timeout} after {@code startedNanos}
     * ({@link System#nanoTime()}); empty for servers that failed, threw or did not answer in time (those are cancelled).
     */
    Map<String, Optional<ObjectNode>> await(Pending pending, long startedNanos, Duration timeout) {
        long deadline = startedNanos + timeout.toNanos();
        Map<String, Optional<ObjectNode>> answers = new LinkedHashMap<>();
        boolean interrupted = false;
        for (Map.Entry<String, Future<Optional<ObjectNode>>> e : pending.byServer.entrySet()) {
            Future<Optional<ObjectNode>> future = e.getValue();
            try {
                if (!interrupted) {
                    future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException | CancellationException timedOut) {
                // not answered in time: cancelled and counted as a failure below
            } catch (InterruptedException stop) {
                interrupted = true;
            } catch (ExecutionException failed) {
                log.warn("A key request to a remote server failed: {}", failed.getCause().getClass().getName());
            }
            future.cancel(true);
            boolean answered = future.state() == Future.State.SUCCESS && future.resultNow() != null;
            answers.put(e.getKey(), answered ? future.resultNow() : Optional.empty());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return answers;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
