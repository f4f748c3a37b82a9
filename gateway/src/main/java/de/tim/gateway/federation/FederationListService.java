package de.tim.gateway.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.matrix.id.ServerName;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's local copy of the TI federation list (AF_10064, ML-137902).
 *
 * <ul>
 *   <li>A list is used only after its JWS verified against the TI roots and only while {@code iat <= now <= exp}.</li>
 *   <li>Versions never go backwards: an older or equal version is ignored.</li>
 *   <li>Refreshed on a schedule (at least hourly) and at once when a domain is not found, rate-limited.</li>
 *   <li>When a refresh fails the last good list stays in use — even past its {@code exp}, as the spec
 *       asks until the incident is resolved — and an alert is raised (log and metrics).</li>
 *   <li>Without any good list every domain is refused (fail closed).</li>
 * </ul>
 */
public class FederationListService {

    private static final Logger log = LoggerFactory.getLogger(FederationListService.class);

    private final FederationListFetcher fetcher;
    private final Supplier<X5cJwsVerifier> verifier;
    private final Duration missRefetchInterval;
    private final Clock clock;
    private final AtomicReference<FederationList> current = new AtomicReference<>();
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile Instant lastMissFetch = Instant.EPOCH;
    private final Counter refreshFailures;
    private final Counter refreshesApplied;

    FederationListService(FederationListFetcher fetcher, Supplier<X5cJwsVerifier> verifier, Duration missRefetchInterval,
                          Clock clock, MeterRegistry meters) {
        this.fetcher = fetcher;
        this.verifier = verifier;
        this.missRefetchInterval = missRefetchInterval;
        this.clock = clock;
        this.refreshFailures = Counter.builder("tim.gateway.federation.list.refresh.failures")
                .description("Federation list refreshes that failed (source unreachable, bad signature, invalid list)")
                .register(meters);
        this.refreshesApplied = Counter.builder("tim.gateway.federation.list.updates")
                .description("New federation list versions taken into use").register(meters);
        Gauge.builder("tim.gateway.federation.list.version", current, ref -> ref.get() == null ? -1 : ref.get().version())
                .description("Version of the federation list in use, -1 without one").register(meters);
        Gauge.builder("tim.gateway.federation.list.expired", this, s -> s.listExpired() ? 1 : 0)
                .description("1 while the list in use is outside its validity (an incident must be raised)").register(meters);
    }

    /**
     * Stage 1: whether {@code serverName} belongs to the TI federation. An unknown domain triggers one
     * rate-limited refetch before the answer is no.
     */
    public boolean isFederated(ServerName serverName) {
        FederationList list = current.get();
        if (list != null && list.contains(serverName)) {
            return true;
        }
        if (!serverName.isCanonicalForm()) {
            return false;
        }
        refreshAfterMiss();
        list = current.get();
        return list != null && list.contains(serverName);
    }

    /** The list in use, if any. */
    public Optional<FederationList> current() {
        return Optional.ofNullable(current.get());
    }

    /** Scheduled refresh: asks for a newer version and takes it into use if it verifies. */
    public void refresh() {
        fetchLock.lock();
        try {
            fetchAndApply();
        } finally {
            fetchLock.unlock();
        }
    }

    private void refreshAfterMiss() {
        fetchLock.lock();
        try {
            Instant now = clock.instant();
            if (Duration.between(lastMissFetch, now).compareTo(missRefetchInterval) < 0) {
                return;
            }
            lastMissFetch = now;
            fetchAndApply();
        } finally {
            fetchLock.unlock();
        }
    }

    private void fetchAndApply() {
        FederationList known = current.get();
        try {
            Optional<String> jws = fetcher.fetchNewerThan(known == null ? null : known.version());
            if (jws.isEmpty()) {
                warnIfExpired(known);
                return;
            }
            X5cJwsVerifier trusted = verifier.get();
            if (trusted == null) {
                throw new JwsVerificationException("no TI trust anchors are configured");
            }
            FederationList candidate = FederationListPayload.read(trusted.verify(jws.get()).jws().getPayload().toString());
            Instant now = clock.instant();
            if (!candidate.validAt(now)) {
                throw new JwsVerificationException("list version " + candidate.version() + " is not valid now (iat "
                        + candidate.issuedAt() + ", exp " + candidate.expiresAt() + ")");
            }
            if (known != null && candidate.version() <= known.version()) {
                throw new JwsVerificationException("list version " + candidate.version()
                        + " is not newer than the one in use (" + known.version() + ")");
            }
            current.set(candidate);
            refreshesApplied.increment();
            log.info("Federation list version {} in use: {} domains, valid until {}", candidate.version(),
                    candidate.domains().size(), candidate.expiresAt());
        } catch (FederationListFetcher.FetchException | JwsVerificationException e) {
            refreshFailures.increment();
            if (known == null) {
                log.error("ALERT federation list refresh failed and no list is in use, federation is refused: {}", e.getMessage());
            } else {
                log.error("ALERT federation list refresh failed, keeping version {} (valid until {}): {}", known.version(),
                        known.expiresAt(), e.getMessage());
            }
            warnIfExpired(known);
        }
    }

    private void warnIfExpired(FederationList list) {
        if (list != null && !list.validAt(clock.instant())) {
            log.error("ALERT federation list version {} expired at {} and no newer one is available: "
                    + "raise an incident with the VZD-FHIR-Directory provider", list.version(), list.expiresAt());
        }
    }

    private boolean listExpired() {
        FederationList list = current.get();
        return list != null && !list.validAt(clock.instant());
    }
}
