package de.tim.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.crypto.tls.SslContexts;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.gateway.RecordingHomeserver;
import de.tim.gateway.listener.FederationListener;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway forwards Client-Server traffic over TLS to its homeserver and nothing else. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientServerRoutesIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IssuedCertificate ROOT = CertificateIssuer.selfSignedRoot("CN=Gateway Test CA", EcCurve.P256, Duration.ofDays(1));
    private static final RecordingHomeserver UPSTREAM = new RecordingHomeserver();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .sslContext(SslContexts.trusting(List.of(ROOT.certificate()))).connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int clientPort;

    @Autowired
    FederationListener federationListener;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path keyStore = Files.createTempFile("gateway-tls", ".p12");
        KeyStores.writeKeyStore(CertificateIssuer.tlsServer(ROOT, "localhost", List.of("localhost"), List.of("127.0.0.1"),
                EcCurve.P256, Duration.ofDays(1)), keyStore, "changeit".toCharArray());
        registry.add("spring.ssl.bundle.jks.gateway.keystore.location", () -> "file:" + keyStore);
        registry.add("spring.ssl.bundle.jks.gateway.keystore.password", () -> "changeit");
        registry.add("spring.ssl.bundle.jks.gateway.keystore.type", () -> "PKCS12");
        registry.add("server.ssl.bundle", () -> "gateway");
        registry.add("tim.gateway.listener.federation-port", () -> "0");
        registry.add("tim.gateway.upstream.homeserver-uri", () -> UPSTREAM.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @Test
    void forwardsClientServerPathsToTheServedDomainWithTheProxySecretReplaced() throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(clientUri("/_matrix/client/versions"))
                .header(UpstreamProperties.PROXY_AUTH_HEADER, "forged").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("path").asText()).isEqualTo("/_matrix/client/versions");
        assertThat(echo.get("host").asText()).as("the homeserver is addressed by the served server name").isEqualTo("praxis-a.tim.local");
        assertThat(echo.get("proxyAuth").asText()).isEqualTo(RecordingHomeserver.PROXY_SECRET);
    }

    @Test
    void uninspectedRequestsKeepTheirMethodAndBody() throws Exception {
        String body = "{\"type\":\"m.login.password\",\"password\":\"secret\"}";
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(clientUri("/_matrix/client/v3/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("method").asText()).isEqualTo("POST");
        assertThat(echo.get("body").asText()).isEqualTo(body);
    }

    @Test
    void unknownPathsAndAdminApisAreNotForwarded() throws Exception {
        for (String path : List.of("/_synapse/admin/v1/server_version", "/nothing/here", "/_tim/admin/v1/domains")) {
            HttpResponse<String> response = get(clientUri(path));
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
        }
    }

    @Test
    void clientServerPathsAreNotServedOnTheFederationListener() throws Exception {
        HttpResponse<String> response = get(URI.create("https://localhost:" + federationListener.localPort() + "/_matrix/client/versions"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void healthAnswersOverTls() throws Exception {
        HttpResponse<String> response = get(clientUri("/actuator/health/readiness"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
    }

    private URI clientUri(String path) {
        return URI.create("https://localhost:" + clientPort + path);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
