package de.tim.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.gateway.RecordingHomeserver;
import de.tim.gateway.TestFederationList;
import de.tim.gateway.listener.EgressListener;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The homeserver's outbound federation through the egress listener: only towards federated destinations,
 * only for the gateway's own homeserver, over TLS to the remote proxy, without leaking the proxy secret.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EgressIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IssuedCertificate REMOTE_CA = CertificateIssuer.selfSignedRoot("CN=Remote Proxy CA", EcCurve.P256, Duration.ofDays(1));
    private static final HttpsServer REMOTE_PROXY = remoteProxy();
    private static final RecordingHomeserver HOMESERVER = new RecordingHomeserver();
    private static final TestFederationList REGISTRATION = new TestFederationList();

    static {
        REGISTRATION.serve(TestFederationList.list(TestFederationList.SIGNER_BP, 1, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)), "praxis-a.tim.local", "klinik-b.tim.local"));
    }

    @Autowired
    EgressListener egressListener;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path anchors = TestFederationList.writeTrustAnchor(Files.createTempFile("ti-root", ".pem"));
        Path remoteCa = Files.createTempFile("remote-ca", ".pem");
        KeyStores.writePem(remoteCa, REMOTE_CA.certificate());
        registry.add("tim.gateway.upstream.homeserver-uri", () -> HOMESERVER.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        registry.add("tim.gateway.federation.list-uri", () -> REGISTRATION.uri().toString());
        registry.add("tim.gateway.federation.access-token", () -> TestFederationList.ACCESS_TOKEN);
        registry.add("tim.gateway.federation.trust-anchors", anchors::toString);
        registry.add("tim.gateway.listener.egress-port", () -> "0");
        registry.add("tim.gateway.egress.trust-anchors", remoteCa::toString);
        registry.add("tim.gateway.egress.server-addresses.[klinik-b.tim.local]",
                () -> "https://localhost:" + REMOTE_PROXY.getAddress().getPort());
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stop() {
        REMOTE_PROXY.stop(0);
        HOMESERVER.close();
        REGISTRATION.close();
    }

    @Test
    void aFederatedDestinationIsReachedOverTlsWithoutTheProxySecret() throws Exception {
        HttpResponse<String> response = send("klinik-b.tim.local", "/_matrix/federation/v1/version", RecordingHomeserver.PROXY_SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.get("path").asText()).isEqualTo("/_matrix/federation/v1/version");
        assertThat(seen.get("host").asText()).isEqualTo("klinik-b.tim.local");
        assertThat(seen.get("proxyAuth").asText()).as("the proxy secret never leaves the gateway").isEmpty();
        assertThat(seen.get("authorization").asText()).startsWith("X-Matrix");
    }

    /** X-Matrix signs the request URI as the homeserver wrote it: the query must arrive byte for byte. */
    @ParameterizedTest
    @ValueSource(strings = {"user_id=%40ben.weber%3Aklinik-b.tim.local&field=displayname", "ver=9&ver=10&ver=11",
            "v=%24abc-_def&limit=10", "event_id=%24a%2Bb%2Fc%3D&x=%C3%A4"})
    void theQueryStringReachesTheDestinationUnchanged(String query) throws Exception {
        HttpResponse<String> response = send("klinik-b.tim.local", "/_matrix/federation/v1/query/profile?" + query,
                RecordingHomeserver.PROXY_SECRET);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("rawQuery").asText()).isEqualTo(query);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "KLINIK-B.tim.local", "klinik-b.tim.local:8448"})
    void destinationsOutsideTheFederationAreRefused(String destination) throws Exception {
        HttpResponse<String> response = send(destination, "/_matrix/federation/v1/version", RecordingHomeserver.PROXY_SECRET);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo("M_FORBIDDEN");
    }

    @Test
    void onlyTheOwnHomeserverMayUseTheEgress() throws Exception {
        assertThat(send("klinik-b.tim.local", "/_matrix/federation/v1/version", null).statusCode()).isEqualTo(403);
        assertThat(send("klinik-b.tim.local", "/_matrix/federation/v1/version", "guess").statusCode()).isEqualTo(403);
    }

    @Test
    void clientPathsAreNotServedOnTheEgressListener() throws Exception {
        assertThat(send("klinik-b.tim.local", "/_matrix/client/v3/createRoom", RecordingHomeserver.PROXY_SECRET).statusCode())
                .isEqualTo(404);
    }

    private HttpResponse<String> send(String destination, String path, String secret) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", egressListener.localPort())))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + destination + path))
                .header("Authorization", "X-Matrix origin=\"praxis-a.tim.local\",destination=\"" + destination
                        + "\",key=\"ed25519:a\",sig=\"c2ln\"");
        if (secret != null) {
            request.header("X-Tim-Proxy-Auth", secret);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpsServer remoteProxy() {
        try {
            IssuedCertificate cert = CertificateIssuer.tlsServer(REMOTE_CA, "localhost", List.of("localhost"), List.of("127.0.0.1"),
                    EcCurve.P256, Duration.ofDays(1));
            Path store = Files.createTempFile("remote", ".p12");
            KeyStores.writeKeyStore(cert, store, "pw".toCharArray());
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keyStore.load(in, "pw".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, "pw".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", exchange -> {
                var node = JSON.createObjectNode()
                        .put("path", exchange.getRequestURI().getPath())
                        .put("rawQuery", String.valueOf(exchange.getRequestURI().getRawQuery()))
                        .put("host", exchange.getRequestHeaders().getFirst("Host"))
                        .put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")))
                        .put("proxyAuth", String.join(",", exchange.getRequestHeaders().getOrDefault("X-Tim-Proxy-Auth", List.of())));
                byte[] body = JSON.writeValueAsBytes(node);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
