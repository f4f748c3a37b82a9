package de.tim.simulators.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;

class ControlIntegrationTests extends SimulatorIntegrationTestBase {

    @Test
    void injectedFailuresApplyToTheirPathForTheGivenNumberOfRequests() {
        String token = http.providerToken();
        String path = "/tim-provider-services/localization";
        String prefix = path + "-fault-test";
        // a prefix unique to this test: no other test requests it
        SimulatorHttp.Response added = http.postJson("/control/faults",
                "{\"pathPrefix\":\"" + prefix + "\",\"status\":503,\"times\":1}");
        assertThat(added.status()).isEqualTo(200);
        SimulatorHttp.Response failed = http.get(prefix + "?mxid=x", "Authorization", "Bearer " + token);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.json().get("message").asText()).isEqualTo("injected failure");
        assertThat(http.get(prefix + "?mxid=x", "Authorization", "Bearer " + token).status()).isEqualTo(404);
        assertThat(http.postJson("/control/faults", "{\"pathPrefix\":\"nope\",\"status\":503}").status()).isEqualTo(400);
        assertThat(http.postJson("/control/faults", "{broken").status()).isEqualTo(400);
    }

    @Test
    void unknownOrganisationsCannotBeToggled() {
        assertThat(http.send("PUT", "/control/organizations/unknown/active?active=false", null, null).status()).isEqualTo(404);
        assertThat(http.send("PUT", "/control/organizations/unknown/active", null, null).status()).isEqualTo(400);
        assertThat(http.get("/control/pki").json().get("rootsPem").asText()).endsWith("ti-roots.pem");
    }
}
