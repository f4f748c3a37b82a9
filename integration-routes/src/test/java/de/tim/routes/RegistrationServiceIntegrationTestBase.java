package de.tim.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.ShutdownTimeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import de.tim.testsupport.MongoWireServers;

/**
 * The registration service on a random port against the in-process simulators and the shared Mongo wire server, with
 * its own database. Subclasses share the cached context.
 */
@CamelSpringBootTest
// at JVM exit the shared Mongo wire server stops concurrently with the contexts; a periodic route's exchange then waits
// for MongoDB server selection, and Camel would wait 10 s (the test default) for it before stopping the routes
@ShutdownTimeout(2)
@SpringBootTest(classes = RegistrationServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class RegistrationServiceIntegrationTestBase {

    public static final String GATEWAY_TOKEN = "gateway-a-token-0123456789abcdef0123456789";
    public static final String HOSTER_TOKEN = "hoster-operator-token-0123456789abcdef0123";

    /** Folders of the example KIS routes (examples/*.yaml), one set per test JVM. */
    protected static final java.nio.file.Path KIS_DIR;

    static {
        try {
            KIS_DIR = java.nio.file.Files.createTempDirectory("kis-");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Simulators simulators = Simulators.shared();
        MongoWireServers.registerUri(registry);
        registry.add("spring.kafka.bootstrap-servers", de.tim.testsupport.SharedKafkaBroker::bootstrapServers);
        String database = MongoWireServers.uniqueDatabaseName("regsvc");
        registry.add("tim.routes.mongodb.database", () -> database);
        registry.add("tim.routes.vzd.base-url", simulators::baseUrl);
        registry.add("tim.routes.vzd.client-id", () -> Simulators.CLIENT_ID);
        registry.add("tim.routes.vzd.client-secret", () -> Simulators.CLIENT_SECRET);
        registry.add("tim.routes.federation-list.trust-anchors[0]", () -> simulators.rootsPem().toString());
        registry.add("tim.routes.intern-verification.tokens[0]", () -> GATEWAY_TOKEN);
        registry.add("tim.routes.hoster.tokens[0]", () -> HOSTER_TOKEN);
        registry.add("tim.routes.orgcheck.idp-issuer", () -> simulators.baseUrl() + "/idp");
        registry.add("tim.routes.orgcheck.idp-trust-anchors[0]", () -> simulators.rootsPem().toString());
        registry.add("tim.routes.token.signer-key-store", () -> simulators.regServiceSignerKeyStore().toString());
        registry.add("tim.routes.token.signer-key-store-password", () -> "changeit");
        registry.add("tim.routes.provisioning.homeserver-domains-uri", () -> FakeHomeserverAdmin.shared().domainsUri());
        registry.add("tim.routes.provisioning.homeserver-secret", () -> FakeHomeserverAdmin.SECRET);
        registry.add("tim.routes.integration.directory", () -> java.nio.file.Path.of("examples").toAbsolutePath().toString());
        registry.add("kis.export-dir", () -> KIS_DIR.resolve("export").toString());
        registry.add("kis.import-dir", () -> KIS_DIR.resolve("import").toString());
        registry.add("kis.answer-dir", () -> KIS_DIR.resolve("answer").toString());
        registry.add("tim.routes.vzd-search.user-id", () -> FakeHomeserverAdmin.SEARCH_USER);
        registry.add("tim.routes.vzd-search.access-token", () -> FakeHomeserverAdmin.SEARCH_USER_TOKEN);
        registry.add("tim.routes.vzd-search.homeserver-uri", () -> FakeHomeserverAdmin.shared().baseUri());
        registry.add("tim.routes.org-active.smtp-uri", () -> "smtp://127.0.0.1:" + simulators.kimSmtpPort());
    }

    private static final java.util.Map<String, String> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A portal session of the Org-Admin of the organisation behind a smartcard identity, onboarding it on first use
     * (once per test JVM, which shares the context and its database).
     */
    protected synchronized String adminSession(String smcbIdentity) {
        return SESSIONS.computeIfAbsent(smcbIdentity, identity -> {
            try {
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                String nonce = json.readTree(post("/registration/v1/onboarding/nonce", null, null).body()).get("nonce").asText();
                String username = "admin-" + identity;
                String password = "a long enough password " + identity;
                HttpResponse<String> onboarded = post("/registration/v1/onboarding/idp", json.createObjectNode()
                        .put("idToken", Simulators.shared().idToken(identity, nonce)).put("username", username)
                        .put("password", password).put("kimAddress", identity.replace("smcb-", "") + "@kim.tim.local").toString(), null);
                if (onboarded.statusCode() != 201) {
                    throw new IllegalStateException("onboarding failed: " + onboarded.body());
                }
                String secret = json.readTree(onboarded.body()).get("totpSecret").asText();
                String code = de.tim.routes.admin.Totp.code(secret, de.tim.routes.admin.Totp.step(java.time.Instant.now().getEpochSecond()));
                HttpResponse<String> login = post("/registration/v1/admin/login", json.createObjectNode().put("username", username)
                        .put("password", password).put("totp", code).toString(), null);
                return json.readTree(login.body()).get("access_token").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    protected HttpResponse<String> post(String path, String json, String token) {
        return post(path, json, token, Duration.ofSeconds(30));
    }

    /** POST with its own timeout (the simulated VZD's first validated owner write builds its validator, slow under load). */
    protected HttpResponse<String> post(String path, String json, String token, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
