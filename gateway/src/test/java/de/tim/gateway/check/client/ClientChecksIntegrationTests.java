package de.tim.gateway.check.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.gateway.RecordingHomeserver;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The approved-client check and the advertised-versions cap, switched on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientChecksIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingHomeserver HOMESERVER = new RecordingHomeserver();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tim.gateway.upstream.homeserver-uri", () -> HOMESERVER.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        registry.add("tim.gateway.routes.advertised-versions", () -> "v1.1,v1.2,v1.3");
        registry.add("tim.gateway.client-check.enabled", () -> "true");
        registry.add("tim.gateway.client-check.approved-clients", () -> "de.example.tim-client,de.example.other");
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stop() {
        HOMESERVER.close();
    }

    @Test
    void versionsAreCappedAtTheAdvertisedOnes() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/versions", "de.example.tim-client");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode versions = JSON.readTree(response.body()).get("versions");
        assertThat(versions).extracting(JsonNode::asText).containsExactly("v1.1", "v1.2", "v1.3");
    }

    @Test
    void onlyApprovedClientsGetThrough() throws Exception {
        assertThat(get("/_matrix/client/v3/capabilities", "de.example.tim-client").statusCode()).isEqualTo(200);
        assertThat(get("/_matrix/client/v3/capabilities?client_id=de.example.other", null).statusCode()).isEqualTo(200);
        for (String clientId : new String[] {null, "", "de.example.unknown", "DE.EXAMPLE.TIM-CLIENT"}) {
            HttpResponse<String> response = get("/_matrix/client/v3/capabilities", clientId);
            assertThat(response.statusCode()).as("client id %s", clientId).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo("M_FORBIDDEN");
        }
        assertThat(get("/_matrix/client/versions", null).statusCode()).as("versions needs a client id too").isEqualTo(403);
    }

    @Test
    void twoDifferentClientIdsAreRefused() throws Exception {
        HttpResponse<String> response = get("/_matrix/client/v3/capabilities?client_id=de.example.unknown", "de.example.tim-client");
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void discoveryStaysOpen() throws Exception {
        assertThat(get("/.well-known/matrix/client", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String clientId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (clientId != null) {
            request.header("X-TIM-Client-Id", clientId);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
