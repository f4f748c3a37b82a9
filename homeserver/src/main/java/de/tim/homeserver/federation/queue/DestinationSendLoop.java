package de.tim.homeserver.federation.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The loop shared by the senders of persisted per-destination queues (PDUs: {@link FederationSender}, reliable EDUs:
 * {@code federation.edu.ReliableEduSender}): one virtual thread, woken by {@link #wake} and at least once a second,
 * runs a {@link #round} per served domain; {@link #dispatch} sends one transaction at a time per destination, each
 * on a virtual thread of its own, skipping destinations in backoff ({@link DestinationBackoff}) and destinations whose
 * transaction another instance sends right now ({@link DestinationLeases}, keyed by the loop's name). A delivered
 * transaction ends the destination's backoff and wakes the loop (more may be queued); a failed one backs the
 * destination off, and its entries wait. Stopping interrupts a round that waits on a slow destination after 1 s
 * (its entries stay queued, and the interruption is no failure of the destination).
 */
public abstract class DestinationSendLoop implements SmartLifecycle {

    /**
     * One transaction for a destination: its id, content, and what its outcome does to the queue: {@code delivered}
     * after the destination accepted it, {@code refusedForGood} (if not null) when it refused the transaction itself
     * (400, 413) instead of backing off.
     */
    public record Transaction(String txnId, List<ObjectNode> pdus, List<ObjectNode> edus, Runnable delivered,
            Runnable refusedForGood) {

        /** A transaction whose every failure backs the destination off (the entries wait). */
        public static Transaction retried(String txnId, List<ObjectNode> pdus, List<ObjectNode> edus, Runnable delivered) {
            return new Transaction(txnId, pdus, edus, delivered, null);
        }
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final DomainRegistry registry;
    private final DestinationBackoff backoff;
    private final DestinationLeases leases;
    private final FederationClient client;
    private final String instance = UUID.randomUUID().toString();
    private final Semaphore wake = new Semaphore(0);
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread loop;

    protected DestinationSendLoop(String name, DomainRegistry registry, DestinationBackoff backoff, DestinationLeases leases,
            FederationClient client) {
        this.name = name;
        this.registry = registry;
        this.backoff = backoff;
        this.leases = leases;
        this.client = client;
    }

    /** One round for a domain: move new work into its queue and {@link #dispatch} what waits. */
    protected abstract void round(Domain domain);

    /** The next transaction of the destination's queue (oldest entries first), or null when it is empty. */
    protected abstract Transaction next(Domain domain, String destination);

    /** Wakes the loop for a round now. */
    public void wake() {
        wake.release();
    }

    /** Whether the loop runs (false once {@link #stop} began). */
    protected boolean running() {
        return running;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = Thread.ofVirtual().name(name).start(this::run);
    }

    @Override
    public void stop() {
        Thread worker;
        synchronized (this) {
            running = false;
            worker = loop;
        }
        wake.release();
        if (worker != null) {
            try {
                // a round waiting on a slow destination is interrupted (its entries stay queued for the next start)
                if (!worker.join(Duration.ofSeconds(1))) {
                    worker.interrupt();
                    worker.join(Duration.ofSeconds(4));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                for (Domain domain : registry.all()) {
                    round(domain);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("{} round failed: {}", name, e.toString());
            }
        }
    }

    /** Sends the next transaction of each destination that is neither backing off nor has one in flight. */
    protected void dispatch(Domain domain, Collection<String> destinations) {
        long now = System.currentTimeMillis();
        for (String destination : destinations) {
            String key = domain.databaseName() + " " + destination;
            if (backoff.isBackingOff(domain, destination, now) || !inFlight.add(key)) {
                continue;
            }
            Thread.ofVirtual().name(name + "-send").start(() -> {
                try {
                    if (leases.take(domain, name, destination, instance)) {
                        try {
                            send(domain, destination);
                        } finally {
                            leases.release(domain, name, destination, instance);
                        }
                    }
                } catch (RuntimeException e) {
                    log.warn("{} transaction failed unexpectedly: {}", name, e.toString());
                } finally {
                    inFlight.remove(key);
                }
            });
        }
    }

    private void send(Domain domain, String destination) {
        Transaction transaction = next(domain, destination);
        if (transaction == null) {
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", domain.serverName());
        body.put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus").addAll(transaction.pdus());
        body.putArray("edus").addAll(transaction.edus());
        try {
            client.send(domain, destination, "PUT", "/_matrix/federation/v1/send/" + transaction.txnId(), body);
            transaction.delivered().run();
            backoff.succeeded(domain, destination);
            wake.release();
        } catch (FederationException e) {
            if (!running) {
                return; // interrupted by stop(): no failure of the destination
            }
            if (transaction.refusedForGood() != null && (e.isStatus(400) || e.isStatus(413))) {
                transaction.refusedForGood().run(); // it would be refused forever
                return;
            }
            long delay = backoff.failed(domain, destination);
            log.info("{}: transaction to a destination failed, retrying in {} ms: {}", name, delay, e.getMessage());
        }
    }
}
