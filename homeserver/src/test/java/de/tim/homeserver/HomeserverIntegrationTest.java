package de.tim.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import de.tim.homeserver.federation.FakeEgress;
import de.tim.homeserver.registration.RegistrationService;
import de.tim.testsupport.MongoWireServers;
import de.tim.testsupport.SharedKafkaBroker;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: one running homeserver (shared Spring context) serving a.test and
 * b.test against the shared in-process MongoDB wire server. Tests isolate by unique user names.
 */
@SpringBootTest(classes = HomeserverApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
public abstract class HomeserverIntegrationTest {

    protected static final String PROXY_SECRET = "test-proxy-secret";
    protected static final String A = "a.test";
    protected static final String B = "b.test";
    protected static final String PASSWORD = "correct horse battery";
    /**
     * For test classes that start a context of their own ({@code @TestPropertySource}): every context of the test JVM
     * serves the same databases and joins the same Kafka consumer groups, so a variant context that evaluates push
     * rules would take over {@code room-events} partitions whenever the main context pauses its evaluation (a test of
     * "evaluation is behind" would see its events evaluated anyway). Variants that do not test push leave it off.
     */
    public static final String NO_PUSH_EVALUATION = "tim.homeserver.push.enabled=false";
    private static final String DATABASE = MongoWireServers.uniqueDatabaseName("hs");
    private static final AtomicInteger USERS = new AtomicInteger();
    /** The egress listener outbound federation goes to (stands in for the gateway). */
    protected static final FakeEgress EGRESS = new FakeEgress(PROXY_SECRET);

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.data.mongodb.uri", () -> MongoWireServers.shared().connectionString());
        registry.add("tim.homeserver.central-database", () -> DATABASE + "_central");
        registry.add("tim.homeserver.database-prefix", () -> DATABASE + "_");
        registry.add("spring.kafka.bootstrap-servers", SharedKafkaBroker::bootstrapServers);
        registry.add("tim.homeserver.federation.egress-proxy", () -> EGRESS.uri());
    }

    protected MatrixTestClient client(String host) {
        return new MatrixTestClient(port, host, PROXY_SECRET);
    }

    protected MatrixTestClient a() {
        return client(A);
    }

    protected MatrixTestClient b() {
        return client(B);
    }

    protected static String uniqueLocalpart(String prefix) {
        return prefix + "-" + System.nanoTime() % 100000 + "-" + USERS.incrementAndGet();
    }

    /** A registered user with one logged-in device. */
    public record TestUser(String userId, String localpart, String accessToken, String deviceId, MatrixTestClient client) {
    }

    protected TestUser register(MatrixTestClient client, String localpart, boolean admin) {
        return register(client, localpart, admin, "test-shared-secret");
    }

    protected TestUser register(MatrixTestClient client, String localpart, boolean admin, String sharedSecret) {
        MatrixTestClient.Response nonce = client.get("/_synapse/admin/v1/register", null);
        assertThat(nonce.status()).as(nonce.raw()).isEqualTo(200);
        String n = nonce.text("nonce");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nonce", n);
        body.put("username", localpart);
        body.put("password", PASSWORD);
        body.put("admin", admin);
        body.put("mac", RegistrationService.mac(sharedSecret, n, localpart, PASSWORD, admin, null));
        MatrixTestClient.Response response = client.post("/_synapse/admin/v1/register", null, body);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return new TestUser(response.text("user_id"), localpart, response.text("access_token"),
                response.text("device_id"), client);
    }

    protected TestUser registerA(String prefix) {
        return register(a(), uniqueLocalpart(prefix), false);
    }

    protected TestUser adminA() {
        return register(a(), uniqueLocalpart("admin"), true);
    }

    protected MatrixTestClient.Response login(MatrixTestClient client, String user, String password) {
        return client.post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user), "password", password));
    }

    protected static Map<String, Object> passwordAuth(TestUser user, String password, String session) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("type", "m.login.password");
        auth.put("identifier", Map.of("type", "m.id.user", "user", user.userId()));
        auth.put("password", password);
        if (session != null) {
            auth.put("session", session);
        }
        return auth;
    }
}
