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

    /**
     * The TI root certificates from the configured PEM files, re-read by the weekly root check so new root
     * versions and cross certificates placed there are taken into use without a restart.
     */
    static final class TrustAnchors {

        private final FederationListProperties properties;
        private final AtomicReference<X5cJwsVerifier> verifier = new AtomicReference<>();

        TrustAnchors(FederationListProperties properties) {
            this.properties = properties;
            reload();
        }

        /** The verifier for the current anchors, or null when none are configured. */
        X5cJwsVerifier verifier() {
            return verifier.get();
        }

        /** Re-reads the trust anchor files; keeps the previous anchors if a file cannot be read. */
        void reload() {
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
