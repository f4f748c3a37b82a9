package de.tim.routes.intern;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/**
 * Stage 3 through the real flow: the Org-Admin publishes an MXID (Endpoint address {@code matrix:u/…} written by this
 * service), the simulated VZD's whereIs finds it, and invites to it are allowed; hidden from insured persons, it no
 * longer counts for inviters from an insurance domain.
 */
class StageThreeVisibilityIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> permission(String inviter, String invitee) {
        return get("/internal/v1/invite-permission?inviter=" + URLEncoder.encode(inviter, StandardCharsets.UTF_8)
                + "&invitee=" + URLEncoder.encode(invitee, StandardCharsets.UTF_8), GATEWAY_TOKEN);
    }

    private boolean allowed(String inviter, String invitee) {
        HttpResponse<String> response = permission(inviter, invitee);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return JSON.readTree(response.body()).get("allowed").asBoolean();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes an MXID of Praxis A through the portal API; returns the Endpoint id. */
    private String publish(String mxid) throws Exception {
        String session = adminSession("smcb-praxis-a");
        HttpResponse<String> service = post("/registration/v1/vzd/healthcare-services",
                JSON.createObjectNode().put("name", "Praxis A - " + mxid).toString(), session, Duration.ofMinutes(2));
        assertThat(service.statusCode()).as(service.body()).isEqualTo(201);
        HttpResponse<String> endpoint = post("/registration/v1/vzd/healthcare-services/" + JSON.readTree(service.body()).get("id").asText()
                + "/endpoints", JSON.createObjectNode().put("mxid", mxid).put("name", "Neu").toString(), session, Duration.ofMinutes(2));
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        JsonNode created = JSON.readTree(endpoint.body());
        assertThat(created.get("address").asText()).isEqualTo("matrix:u/" + mxid.substring(1));
        return created.get("id").asText();
    }

    @Test
    void anEndpointTheOrgAdminCreatesMakesStageThreeAllowInvitesToIt() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String mxid = "@neu-" + id + ":praxis-a.tim.local";
        publish(mxid);
        assertThat(allowed("@someone:klinik-b.tim.local", mxid)).isTrue();
        assertThat(allowed("@someone:klinik-b.tim.local", "@unpublished-" + id + ":praxis-a.tim.local")).isFalse();
    }

    @Test
    void anEndpointSwitchedOffRestrictsVisibilityForEveryone() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String mxid = "@aus-" + id + ":praxis-a.tim.local";
        Simulators.shared().setEndpointStatus(publish(mxid), org.hl7.fhir.r4.model.Endpoint.EndpointStatus.OFF);
        assertThat(allowed("@someone:klinik-b.tim.local", mxid)).isFalse();
    }

    @Test
    void entriesHiddenFromInsuredPersonsDoNotCountForInsuredInviters() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String hidden = "@versteckt-" + id + ":praxis-a.tim.local";
        Simulators.shared().hideFromInsurees(publish(hidden));
        String insurance = "kasse-" + id + ".tim.local";
        Simulators.shared().addInsuranceDomain(insurance, "8-KASSE-" + id);
        String insured = "@versicherte:" + insurance;

        // the service learns the insurance domain with its next federation list refresh
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !allowed(insured, hidden));
        // visible entries still count for insured inviters, hidden ones still for everyone else
        assertThat(allowed(insured, "@empfang:praxis-a.tim.local")).isTrue();
        assertThat(allowed("@someone:klinik-b.tim.local", hidden)).isTrue();

        // no answer about visibility: a clear error, the gateway refuses
        Simulators.shared().fail("/search", 503, 0);
        try {
            HttpResponse<String> down = permission(insured, "@aufnahme:klinik-b.tim.local");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("VZD_UNAVAILABLE");
        } finally {
            Simulators.shared().clearFault("/search");
        }
    }
}
