package de.tim.gateway.federation;

import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FederationListConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FederationListConfiguration.class);

    @Bean
    TrustAnchors federationTrustAnchors(FederationListProperties properties) {
        return new TrustAnchors(properties);
    }

    @Bean
    FederationListService federationListService(FederationListProperties properties, TrustAnchors anchors,
                                                ObjectProvider<Clock> clock, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
        return new FederationListService(new FederationListFetcher(http, properties), anchors::verifier,
                properties.missRefetchInterval(), clock.getIfAvailable(Clock::systemUTC), meters);
    }

    @Bean
    TrustRootListCheck trustRootListCheck(TrustRootListProperties properties, TrustAnchors anchors,
                                          ObjectProvider<Clock> clock, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return new TrustRootListCheck(properties, anchors, http, clock.getIfAvailable(Clock::systemUTC), meters);
    }

    /**
     * The TI root certificates from the configured PEM files, re-read by the weekly root check so new root
     * versions and cross certificates placed there are taken into use without a restart, plus the new root
     * versions the {@link TrustRootListCheck} accepted from the ROOT-CA download point.
     */
    static final class TrustAnchors {

        private final FederationListProperties properties;
        private final AtomicReference<X5cJwsVerifier> verifier = new AtomicReference<>();
        private final AtomicReference<List<X509Certificate>> current = new AtomicReference<>(List.of());
        /** Roots accepted from the ROOT-CA download point (cross-certified by a trusted root), kept across re-reads. */
        private final java.util.concurrent.CopyOnWriteArrayList<X509Certificate> downloaded =
                new java.util.concurrent.CopyOnWriteArrayList<>();

        TrustAnchors(FederationListProperties properties) {
            this.properties = properties;
            reload();
        }

        /** The verifier for the current anchors, or null when none are configured. */
        X5cJwsVerifier verifier() {
            return verifier.get();
        }

        /** The roots in use: those of the files and those accepted from the download point. */
        List<X509Certificate> current() {
            return current.get();
        }

        /** Adds roots accepted from the ROOT-CA download point and takes them into use. */
        synchronized void addDownloaded(List<X509Certificate> roots) {
            for (X509Certificate root : roots) {
                if (!downloaded.contains(root)) {
                    downloaded.add(root);
                }
            }
            reload();
        }

        /** Re-reads the trust anchor files; keeps the previous anchors if a file cannot be read. */
        synchronized void reload() {
            List<X509Certificate> anchors = new ArrayList<>();
            try {
                properties.trustAnchors().forEach(path -> anchors.addAll(Certificates.readPem(path)));
            } catch (RuntimeException e) {
                if (verifier.get() != null) {
                    log.error("ALERT cannot re-read the TI trust anchors, keeping the previous ones: {}", e.getMessage());
                    return;
                }
                throw new IllegalStateException("cannot read the TI trust anchors " + properties.trustAnchors(), e);
            }
            for (X509Certificate root : downloaded) {
                if (!anchors.contains(root)) {
                    anchors.add(root);
                }
            }
            current.set(List.copyOf(anchors));
            if (anchors.isEmpty()) {
                log.error("ALERT no TI trust anchors configured ({}.trust-anchors): no federation list can be verified, "
                        + "federation is refused", FederationListProperties.PREFIX);
                verifier.set(null);
                return;
            }
            Set<JWSAlgorithm> algorithms = properties.algorithms().stream()
                    .map(name -> TiJwsAlgorithms.BP256R1.getName().equals(name) ? TiJwsAlgorithms.BP256R1 : JWSAlgorithm.parse(name))
                    .collect(Collectors.toSet());
            verifier.set(new X5cJwsVerifier(new CertificateChainValidator(anchors), algorithms, properties.signerRoleOid()));
            log.info("Federation list trust store: {} root certificate(s)", anchors.size());
        }
    }
}
