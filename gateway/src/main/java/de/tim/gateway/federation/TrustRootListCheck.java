package de.tim.gateway.federation;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly check of the ROOT-CA download point for new TI root versions: downloads {@code roots.json},
 * takes into use every new root that is cross-certified by a root trusted already (signature of the cross
 * certificate verified), and on any failure keeps the roots in use and raises an {@code ALERT} (log and
 * {@code tim.gateway.federation.roots.check.failures}). Off when no URL is configured.
 */
class TrustRootListCheck {

    private static final Logger log = LoggerFactory.getLogger(TrustRootListCheck.class);

    private final TrustRootListProperties properties;
    private final FederationListConfiguration.TrustAnchors anchors;
    private final HttpClient http;
    private final Clock clock;
    private final Counter failures;
    private final Counter added;
    private final Counter rejected;

    TrustRootListCheck(TrustRootListProperties properties, FederationListConfiguration.TrustAnchors anchors,
            HttpClient http, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.anchors = anchors;
        this.http = http;
        this.clock = clock;
        this.failures = meters.counter("tim.gateway.federation.roots.check.failures");
        this.added = meters.counter("tim.gateway.federation.roots.added");
        this.rejected = meters.counter("tim.gateway.federation.roots.rejected");
        Gauge.builder("tim.gateway.federation.roots", anchors, a -> a.current().size()).register(meters);
    }

    boolean enabled() {
        return properties.uri() != null;
    }

    /** One check; returns the roots newly taken into use (empty when off or on failure). */
    List<X509Certificate> check() {
        if (!enabled()) {
            return List.of();
        }
        try {
            TrustRootList list = TrustRootList.parse(download());
            TrustRootList.Decision decision = list.crossCertified(anchors.current(), clock.instant());
            if (!decision.rejected().isEmpty()) {
                rejected.increment(decision.rejected().size());
                log.error("ALERT {} root certificate(s) of the ROOT-CA download point are not cross-certified by a "
                        + "trusted root and are not used: {}", decision.rejected().size(), subjects(decision.rejected()));
            }
            if (!decision.accepted().isEmpty()) {
                anchors.addDownloaded(decision.accepted());
                added.increment(decision.accepted().size());
                log.info("New TI root version(s) taken into use: {}", subjects(decision.accepted()));
            }
            return decision.accepted();
        } catch (IOException | RuntimeException e) {
            failures.increment();
            log.error("ALERT the check of the ROOT-CA download point failed, the trusted roots stay unchanged: {}",
                    e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private byte[] download() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(properties.uri()).timeout(properties.requestTimeout())
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " from the ROOT-CA download point");
            }
            byte[] bytes = body.readNBytes(properties.maxSize() + 1);
            if (bytes.length > properties.maxSize()) {
                throw new IOException("roots.json is larger than " + properties.maxSize() + " bytes");
            }
            return bytes;
        }
    }

    private static List<String> subjects(List<X509Certificate> certificates) {
        return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
