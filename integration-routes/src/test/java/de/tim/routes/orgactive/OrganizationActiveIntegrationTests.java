package de.tim.routes.orgactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/** A_23092–A_23094 against the simulated directory and KIM. */
class OrganizationActiveIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRAXIS_A = "1-SMC-B-Testkarte-883110000147435";
    private static final String PRAXIS_A_KIM = "praxis-a@kim.tim.local";

    @Autowired
    OrganizationActiveService service;

    @Test
    void anInactiveOrganisationIsNotifiedLosesItsDomainsAfter30DaysAndComesBackOnlyByANewAuthentication() throws Exception {
        String session = adminSession("smcb-praxis-a");
        String domain = "active-check-" + System.nanoTime() + ".tim.local";
        assertThat(post("/registration/v1/messenger-services", JSON.createObjectNode().put("domain", domain).toString(), session)
                .statusCode()).isEqualTo(201);
        int mailsBefore = Simulators.shared().kimInbox(PRAXIS_A_KIM).size();
        Simulators.shared().setOrganizationActive(PRAXIS_A, false);
        try {
            Instant now = Instant.now();
            assertThat(service.checkAll(now).markedInactive()).isGreaterThanOrEqualTo(1);

            assertThat(Simulators.shared().kimInbox(PRAXIS_A_KIM)).hasSize(mailsBefore + 1);
            assertThat(get("/registration/v1/organisation", session).body()).contains("\"active\":false").contains("nicht mehr aktiv");
            HttpResponse<String> token = post("/registration/v1/tokens/regservice-openid-token", null, session);
            assertThat(token.statusCode()).isEqualTo(403);
            assertThat(token.body()).contains("ORGANISATION_INACTIVE");
            assertThat(post("/registration/v1/messenger-services", JSON.createObjectNode().put("domain", "x" + domain).toString(), session)
                    .statusCode()).isEqualTo(403);

            // a second run notifies no one again, and nothing is removed before 30 days
            assertThat(service.checkAll(now.plus(Duration.ofDays(29))).switchedOff()).isZero();
            assertThat(Simulators.shared().kimInbox(PRAXIS_A_KIM)).hasSize(mailsBefore + 1);
            assertThat(Simulators.shared().federation().contains(domain)).isTrue();

            assertThat(service.checkAll(now.plus(Duration.ofDays(31))).switchedOff()).isGreaterThanOrEqualTo(1);
            assertThat(Simulators.shared().federation().contains(domain)).isFalse();
            assertThat(get("/registration/v1/messenger-services", session).body()).contains(domain).contains("SWITCHED_OFF");
        } finally {
            Simulators.shared().setOrganizationActive(PRAXIS_A, true);
        }

        // reactivation only through a new AF_10103 authentication
        String nonce = JSON.readTree(post("/registration/v1/onboarding/nonce", null, null).body()).get("nonce").asText();
        HttpResponse<String> again = post("/registration/v1/onboarding/idp", JSON.createObjectNode()
                .put("idToken", Simulators.shared().idToken("smcb-praxis-a", nonce)).put("username", "ignored.name")
                .put("password", "another long password").toString(), null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).contains("\"reactivated\":true");
        assertThat(post("/registration/v1/tokens/regservice-openid-token", null, session).statusCode()).isEqualTo(200);
    }

    @Test
    void contractEndTakesTheSamePathAtOnceAndNeedsTheHosterToken() throws Exception {
        String session = adminSession("smcb-praxis-a");
        String domain = "contract-end-" + System.nanoTime() + ".tim.local";
        assertThat(post("/registration/v1/messenger-services", JSON.createObjectNode().put("domain", domain).toString(), session)
                .statusCode()).isEqualTo(201);

        assertThat(post("/hoster/v1/organisations/" + PRAXIS_A + "/contract-end", null, null).statusCode()).isEqualTo(401);
        assertThat(post("/hoster/v1/organisations/" + PRAXIS_A + "/contract-end", null, GATEWAY_TOKEN).statusCode()).isEqualTo(401);
        assertThat(post("/hoster/v1/organisations/unknown/contract-end", null, HOSTER_TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> ended = post("/hoster/v1/organisations/" + PRAXIS_A + "/contract-end", null, HOSTER_TOKEN);
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(ended.body()).contains(domain);
        assertThat(Simulators.shared().federation().contains(domain)).isFalse();
        assertThat(post("/registration/v1/tokens/regservice-openid-token", null, session).statusCode()).isEqualTo(403);

        String nonce = JSON.readTree(post("/registration/v1/onboarding/nonce", null, null).body()).get("nonce").asText();
        HttpResponse<String> again = post("/registration/v1/onboarding/idp", JSON.createObjectNode()
                .put("idToken", Simulators.shared().idToken("smcb-praxis-a", nonce)).put("username", "ignored.name")
                .put("password", "another long password").toString(), null);
        assertThat(again.statusCode()).isEqualTo(200);
    }
}
