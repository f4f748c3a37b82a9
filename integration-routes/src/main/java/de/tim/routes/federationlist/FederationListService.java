package de.tim.routes.federationlist;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.routes.vzd.VzdClient;
import de.tim.routes.vzd.VzdUnavailableException;

/**
 * Keeps the newest verified federation list: asks the VZD for a version newer than the stored one, verifies it,
 * accepts only increasing versions and stores every accepted version in MongoDB. Proxy requests trigger a check at
 * most every {@code check-interval}; the Quartz route refreshes periodically.
 */
@Service
public class FederationListService {

    private static final Logger log = LoggerFactory.getLogger(FederationListService.class);

    /** Outcome of one VZD check. */
    public enum Outcome { UPDATED, UNCHANGED, REJECTED }

    private final VzdClient vzd;
    private final FederationListVerifier verifier;
    private final FederationListRepository repository;
    private final FederationListProperties properties;
    private final Clock clock;
    private final FederationListMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile FederationList current;
    private volatile Instant lastCheck = Instant.MIN;

    @org.springframework.beans.factory.annotation.Autowired
    public FederationListService(VzdClient vzd, FederationListVerifier verifier, FederationListRepository repository,
                                 FederationListProperties properties, FederationListMetrics metrics) {
        this(vzd, verifier, repository, properties, Clock.systemUTC(), metrics);
    }

    FederationListService(VzdClient vzd, FederationListVerifier verifier, FederationListRepository repository,
                          FederationListProperties properties) {
        this(vzd, verifier, repository, properties, Clock.systemUTC(), FederationListMetrics.unregistered());
    }

    FederationListService(VzdClient vzd, FederationListVerifier verifier, FederationListRepository repository,
                          FederationListProperties properties, Clock clock, FederationListMetrics metrics) {
        this.metrics = metrics;
        this.vzd = vzd;
        this.verifier = verifier;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Asks the VZD for a newer list now (Quartz route, and {@link #ensureFresh()}).
     *
     * @throws VzdUnavailableException when the VZD cannot be asked
     */
    public Outcome refresh() {
        lock.lock();
        try {
            Optional<FederationList> stored = stored();
            Long known = stored.map(FederationList::version).orElse(null);
            Optional<String> jws = vzd.federationListNewerThan(known);
            lastCheck = clock.instant();
            if (jws.isEmpty()) {
                return Outcome.UNCHANGED;
            }
            FederationList list;
            try {
                list = verifier.verify(jws.get());
            } catch (JwsVerificationException e) {
                metrics.rejectedVerification();
                log.error("ALERT: federation list from the VZD rejected, keeping version {}: {}", known, e.getMessage());
                return Outcome.REJECTED;
            }
            if (known != null && list.version() <= known) {
                metrics.rejectedVersion();
                log.error("ALERT: federation list from the VZD rejected: version {} is not newer than {}", list.version(), known);
                return Outcome.REJECTED;
            }
            repository.insert(list);
            current = list;
            metrics.serving(list.version());
            log.info("federation list version {} accepted ({} domains)", list.version(), list.domainCount());
            return Outcome.UPDATED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes sure the stored list is current before a proxy gets it: checks the VZD unless that happened less than
     * {@code check-interval} ago. A failing VZD leaves the stored list in use.
     */
    public void ensureFresh() {
        if (lastCheck.plus(properties.checkInterval()).isAfter(clock.instant())) {
            return;
        }
        lock.lock();
        try {
            // concurrent requests that waited for the lock find the check done
            if (lastCheck.plus(properties.checkInterval()).isAfter(clock.instant())) {
                return;
            }
            refresh();
        } catch (VzdUnavailableException e) {
            lastCheck = clock.instant();
            log.warn("federation list check at the VZD failed, serving the stored list: {}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** The newest accepted list (memory, else MongoDB: another instance may have stored a newer one). */
    public Optional<FederationList> stored() {
        Optional<FederationList> latest = repository.latest();
        latest.ifPresent(list -> {
            FederationList known = current;
            if (known == null || known.version() < list.version()) {
                current = list;
            }
            metrics.serving(list.version());
        });
        return Optional.ofNullable(current);
    }

    /** Accepted versions, newest first. */
    public List<FederationList> history(int limit) {
        return repository.history(limit);
    }
}
