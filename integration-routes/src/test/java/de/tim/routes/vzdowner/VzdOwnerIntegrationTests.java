package de.tim.routes.vzdowner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/** AF_10059 through Camel FHIR against the simulated VZD owner API. */
class VzdOwnerIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> delete(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOrgAdminManagesHealthcareServicesAndEndpointsOfItsOwnOrganisation() throws Exception {
        String session = adminSession("smcb-praxis-a");

        HttpResponse<String> created = post("/registration/v1/vzd/healthcare-services",
                JSON.createObjectNode().put("name", "Praxis A - Anmeldung").toString(), session, Duration.ofMinutes(2));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String serviceId = JSON.readTree(created.body()).get("id").asText();
        assertThat(Simulators.shared().fhir("HealthcareService", serviceId)).isPresent();

        HttpResponse<String> endpoint = post("/registration/v1/vzd/healthcare-services/" + serviceId + "/endpoints",
                JSON.createObjectNode().put("mxid", "@anmeldung:praxis-a.tim.local").put("name", "Anmeldung").toString(), session, Duration.ofMinutes(2));
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        JsonNode entry = JSON.readTree(endpoint.body());
        assertThat(entry.get("address").asText()).isEqualTo("matrix:u/anmeldung:praxis-a.tim.local");
        Endpoint stored = (Endpoint) Simulators.shared().fhir("Endpoint", entry.get("id").asText()).orElseThrow();
        assertThat(stored.getName()).isEqualTo("Anmeldung");
        assertThat(stored.getConnectionType().getCode()).isEqualTo("tim");
        HealthcareService service = (HealthcareService) Simulators.shared().fhir("HealthcareService", serviceId).orElseThrow();
        assertThat(service.getEndpoint()).extracting(r -> r.getReference()).contains("Endpoint/" + entry.get("id").asText());

        assertThat(get("/registration/v1/vzd/healthcare-services", session).body()).contains(serviceId);

        assertThat(delete("/registration/v1/vzd/Endpoint/" + entry.get("id").asText(), session).statusCode()).isEqualTo(204);
        assertThat(Simulators.shared().fhir("Endpoint", entry.get("id").asText())).isEmpty();
    }

    @Test
    void entriesOfOtherOrganisationsAreRefused() throws Exception {
        String session = adminSession("smcb-praxis-a");
        HttpResponse<String> foreign = delete("/registration/v1/vzd/HealthcareService/klinik-b-kardiologie", session);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(Simulators.shared().fhir("HealthcareService", "klinik-b-kardiologie")).isPresent();
        HttpResponse<String> foreignEndpoint = post("/registration/v1/vzd/healthcare-services/klinik-b-kardiologie/endpoints",
                JSON.createObjectNode().put("mxid", "@x:praxis-a.tim.local").put("name", "X").toString(), session);
        assertThat(foreignEndpoint.statusCode()).isEqualTo(403);
    }

    @Test
    void badInputAndMissingSessions() throws Exception {
        String session = adminSession("smcb-praxis-a");
        assertThat(post("/registration/v1/vzd/healthcare-services", "{}", session).statusCode()).isEqualTo(400);
        assertThat(post("/registration/v1/vzd/healthcare-services/x/endpoints",
                JSON.createObjectNode().put("mxid", "not-an-mxid").put("name", "n").toString(), session).statusCode()).isEqualTo(400);
        assertThat(post("/registration/v1/vzd/healthcare-services/x/endpoints",
                JSON.createObjectNode().put("mxid", "@a:praxis-a.tim.local").toString(), session).statusCode()).isEqualTo(400);
        assertThat(delete("/registration/v1/vzd/Organization/praxis-a", session).statusCode()).isEqualTo(400);
        assertThat(post("/registration/v1/vzd/healthcare-services", "{\"name\":\"x\"}", null).statusCode()).isEqualTo(401);
    }
}
