package de.tim.routes.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import de.tim.routes.FakeHomeserverAdmin;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/** AF_10060 against the simulated VZD and an in-process homeserver admin endpoint. */
class ProvisioningIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ProvisioningService provisioning;

    @Autowired
    MessengerServiceRepository services;

    private HttpResponse<String> order(String session, String domain) {
        return post("/registration/v1/messenger-services", JSON.createObjectNode().put("domain", domain).toString(), session);
    }

    private String listedDomains() throws Exception {
        HttpResponse<String> list = get("/internal/v1/federation-list", GATEWAY_TOKEN);
        X5cJwsVerifier verifier = new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(Simulators.shared().rootsPem())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
        return verifier.verify(list.body()).claims().getClaim("domainList").toString();
    }

    @Test
    void anOrgAdminProvisionsAServiceWhichTheGatewaysGetWithTheNextList() throws Exception {
        String session = adminSession("smcb-praxis-a");
        String domain = "praxis-a-" + System.nanoTime() + ".tim.local";

        HttpResponse<String> ordered = order(session, domain);

        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(201);
        assertThat(JSON.readTree(ordered.body()).get("clientUrl").asText()).isEqualTo("https://" + domain);
        assertThat(FakeHomeserverAdmin.shared().domains).contains(domain);
        assertThat(Simulators.shared().federation().contains(domain)).isTrue();
        assertThat(listedDomains()).contains(domain);
        assertThat(get("/registration/v1/messenger-services", session).body()).contains(domain).contains("ACTIVE");

        // several services per organisation
        assertThat(order(session, "second-" + domain).statusCode()).isEqualTo(201);
    }

    @Test
    void aDomainTakenHereOrInTheFederationIsA409() {
        String session = adminSession("smcb-praxis-a");
        String domain = "dup-" + System.nanoTime() + ".tim.local";
        assertThat(order(session, domain).statusCode()).isEqualTo(201);
        HttpResponse<String> again = order(session, domain);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("DOMAIN_EXISTS");
        HttpResponse<String> federated = order(session, "klinik-b.tim.local");
        assertThat(federated.statusCode()).isEqualTo(409);
        assertThat(FakeHomeserverAdmin.shared().domains).doesNotContain("klinik-b.tim.local");
    }

    @Test
    void aHomeserverFailureRollsTheFederationEntryBack() throws Exception {
        String session = adminSession("smcb-praxis-a");
        String domain = "rollback-" + System.nanoTime() + ".tim.local";
        FakeHomeserverAdmin.shared().failNext.set(1);

        HttpResponse<String> ordered = order(session, domain);

        assertThat(ordered.statusCode()).isEqualTo(502);
        assertThat(ordered.body()).contains("HOMESERVER_FAILED");
        assertThat(Simulators.shared().federation().contains(domain)).isFalse();
        assertThat(listedDomains()).doesNotContain(domain);
        assertThat(order(session, domain).statusCode()).as("the reservation was released").isEqualTo(201);
    }

    @Test
    void vzdDownProvisionsNothing() {
        String session = adminSession("smcb-praxis-a");
        String domain = "vzd-down-" + System.nanoTime() + ".tim.local";
        Simulators.shared().fail("/tim-provider-services/federation", 503, 0);
        try {
            HttpResponse<String> ordered = order(session, domain);
            assertThat(ordered.statusCode()).isEqualTo(502);
            assertThat(ordered.body()).contains("VZD_FAILED");
        } finally {
            Simulators.shared().clearFault("/tim-provider-services/federation");
        }
        assertThat(FakeHomeserverAdmin.shared().domains).doesNotContain(domain);
        assertThat(Simulators.shared().federation().contains(domain)).isFalse();
    }

    @Test
    void anInterruptedProvisioningIsRolledBackByRecovery() {
        String domain = "interrupted-" + System.nanoTime() + ".tim.local";
        // as if the service stopped after the VZD step: reserved long ago, added to the federation
        services.reserve(domain, "1-SMC-B-Testkarte-883110000147435", java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        Simulators.shared().addDomain(domain, "1-SMC-B-Testkarte-883110000147435");
        services.advance(domain, MessengerServiceRepository.State.VZD_ADDED, null, java.time.Instant.now().minus(java.time.Duration.ofHours(1)));

        assertThat(provisioning.recoverUnfinished()).isGreaterThanOrEqualTo(1);

        assertThat(Simulators.shared().federation().contains(domain)).isFalse();
        assertThat(services.unfinishedBefore(java.time.Instant.now())).noneMatch(s -> s.domain().equals(domain));
    }

    @Test
    void onlyAuthenticatedOrgAdminsWithValidDomains() {
        assertThat(order(null, "x-" + System.nanoTime() + ".tim.local").statusCode()).isEqualTo(401);
        assertThat(order("not-a-session", "x.tim.local").statusCode()).isEqualTo(401);
        String session = adminSession("smcb-praxis-a");
        for (String bad : new String[] {"", "no_underscores.de", "-lead.tim.local", "a..b.de", "x".repeat(300) + ".de", "UPPER ONLY"}) {
            assertThat(order(session, bad).statusCode()).as(bad).isEqualTo(400);
        }
    }
}
