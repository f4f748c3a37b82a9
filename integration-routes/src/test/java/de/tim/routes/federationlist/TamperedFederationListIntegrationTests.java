package de.tim.routes.federationlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import com.nimbusds.jose.JWSAlgorithm;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The simulated VZD serves a newer federation list with an invalid signature (signed outside the TI PKI, or its payload
 * changed after signing): the registration service refuses it, keeps the last good list and version, counts the
 * rejection in its alert metric and serves the old list to the gateways — until the VZD serves a good list again.
 */
class TamperedFederationListIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final String PRAXIS_A = "1-SMC-B-Testkarte-883110000147435";

    @Autowired
    FederationListService federationList;

    @Autowired
    MeterRegistry meters;

    private static X5cJwsVerifier verifier() {
        return new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(Simulators.shared().rootsPem())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
    }

    private double rejected() {
        return meters.get(FederationListMetrics.REJECTED).tag("reason", "verification").counter().count();
    }

    private double servedVersionMetric() {
        return meters.get(FederationListMetrics.VERSION).gauge().value();
    }

    @ParameterizedTest
    @ValueSource(strings = {"foreign-signer", "modified-payload"})
    void aListWithAnInvalidSignatureIsRefusedAndTheLastGoodListServed(String mode) throws Exception {
        federationList.refresh();
        HttpResponse<String> good = get("/internal/v1/federation-list", GATEWAY_TOKEN);
        assertThat(good.statusCode()).isEqualTo(200);
        long goodVersion = Long.parseLong(good.headers().firstValue("X-Federation-List-Version").orElseThrow());
        double rejectedBefore = rejected();
        String newDomain = "tamper-" + mode + "-" + System.nanoTime() + ".tim.local";

        Simulators.shared().tamperFederationList(mode);
        try {
            Simulators.shared().addDomain(newDomain, PRAXIS_A);

            assertThat(federationList.refresh()).isEqualTo(FederationListService.Outcome.REJECTED);

            HttpResponse<String> served = get("/internal/v1/federation-list", GATEWAY_TOKEN);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(good.body());
            assertThat(served.headers().firstValue("X-Federation-List-Version")).hasValue(Long.toString(goodVersion));
            assertThat(get("/internal/v1/federation-list?version=" + goodVersion, GATEWAY_TOKEN).statusCode()).isEqualTo(204);
            assertThat(federationList.stored()).hasValueSatisfying(list -> assertThat(list.version()).isEqualTo(goodVersion));
            assertThat(federationList.history(1)).extracting(FederationList::version).containsExactly(goodVersion);
            assertThat(rejected()).isGreaterThan(rejectedBefore);
            assertThat(servedVersionMetric()).isEqualTo(goodVersion);
        } finally {
            Simulators.shared().tamperFederationList("none");
        }

        // the VZD serves a good list again: accepted with the new domain
        federationList.refresh();
        HttpResponse<String> repaired = get("/internal/v1/federation-list", GATEWAY_TOKEN);
        long repairedVersion = Long.parseLong(repaired.headers().firstValue("X-Federation-List-Version").orElseThrow());
        assertThat(repairedVersion).isGreaterThan(goodVersion);
        assertThat(verifier().verify(repaired.body()).claims().toString()).contains(newDomain)
                .doesNotContain("tampered.invalid");
        assertThat(servedVersionMetric()).isEqualTo(repairedVersion);
    }
}
