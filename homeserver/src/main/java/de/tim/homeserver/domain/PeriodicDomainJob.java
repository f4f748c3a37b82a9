package de.tim.homeserver.domain;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A background job that runs one round per served domain every interval, on a virtual thread of its own. A failing
 * domain is logged (server name and exception only) and neither stops the other domains nor later rounds; stopping
 * interrupts the wait (or a round that blocks) and waits briefly for the thread.
 */
public abstract class PeriodicDomainJob implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final DomainRegistry registry;
    private final Supplier<Duration> interval;
    private final boolean firstRoundAtStart;
    private volatile boolean running;
    private Thread worker;

    /**
     * @param name              the thread's name (and what the failure log calls the job)
     * @param interval          read before every wait, so a configured value may be a property
     * @param firstRoundAtStart run a round right after start (else the first comes after one interval)
     */
    protected PeriodicDomainJob(String name, DomainRegistry registry, Supplier<Duration> interval, boolean firstRoundAtStart) {
        this.name = name;
        this.registry = registry;
        this.interval = interval;
        this.firstRoundAtStart = firstRoundAtStart;
    }

    /** One round for one domain at {@code now} (epoch millis). */
    protected abstract void runFor(Domain domain, long now);

    private void run() {
        boolean first = true;
        while (running) {
            if (!first || !firstRoundAtStart) {
                try {
                    Thread.sleep(interval.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            first = false;
            for (Domain domain : registry.all()) {
                if (!running) {
                    return;
                }
                try {
                    runFor(domain, System.currentTimeMillis());
                } catch (RuntimeException e) {
                    log.warn("{} failed for {}: {}", name, domain.serverName(), e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = Thread.ofVirtual().name(name).start(this::run);
    }

    @Override
    public void stop() {
        Thread w;
        synchronized (this) {
            running = false;
            w = worker;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
