package de.tim.simulators;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The simulators on a random port with the test profile and {@link FakeHomeserver} as praxis-a.tim.local. All
 * integration tests extend this, so they share one cached application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class SimulatorIntegrationTestBase {

    @LocalServerPort
    protected int port;

    protected SimulatorHttp http;

    @DynamicPropertySource
    static void homeservers(DynamicPropertyRegistry registry) {
        registry.add("tim.simulators.vzd.homeservers.[" + FakeHomeserver.SERVER_NAME + "]", () -> FakeHomeserver.shared().baseUrl());
        registry.add("tim.simulators.vzd.homeservers.[" + FakeHomeserver.INSURANCE_SERVER_NAME + "]", () -> FakeHomeserver.shared().baseUrl());
    }

    @BeforeEach
    void createClient() {
        http = new SimulatorHttp(port);
    }

    /** A search-accesstoken for a user of praxis-a.tim.local, obtained through /tim-authenticate. */
    protected String searchToken() {
        return searchToken(FakeHomeserver.SERVER_NAME);
    }

    /** A search-accesstoken for a user of the given server (which must be on the federation list). */
    protected String searchToken(String serverName) {
        String openId = FakeHomeserver.shared().openIdToken("@tester:" + serverName);
        SimulatorHttp.Response response = http.get("/tim-authenticate?mxId=" + serverName, "X-Matrix-OpenID-Token", openId);
        if (response.status() != 200) {
            throw new IllegalStateException("tim-authenticate failed: " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asText();
    }
}
