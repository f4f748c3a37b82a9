package de.tim.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import de.tim.testsupport.MongoWireServers;

/**
 * The service starts with nothing but a MongoDB (as the local stack starts it): no VZD credentials that work, no
 * trust anchors, no signer, no homeserver secret, no gateway tokens — and refuses what it cannot do.
 */
@SpringBootTest(classes = RegistrationServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tim.routes.vzd.base-url=http://127.0.0.1:9", "tim.routes.vzd.max-redeliveries=0",
                "tim.routes.federation-list.trust-anchors=/nonexistent/ti-roots.pem",
                "tim.routes.token.signer-key-store=/nonexistent/signer.p12", "logging.level.root=error",
                // no Kafka either: topic provisioning gives up quickly, dead letters are logged as lost
                "spring.kafka.bootstrap-servers=127.0.0.1:9", "spring.kafka.admin.operation-timeout=2",
                "tim.routes.dead-letters.max-block=200ms"})
class UnconfiguredStartIntegrationTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MongoWireServers.registerUri(registry);
        registry.add("tim.routes.mongodb.database", () -> MongoWireServers.uniqueDatabaseName("unconfigured"));
        registry.add("tim.routes.integration.directory", () -> RegistrationServiceIntegrationTestBase.KIS_DIR.resolve("none").toString());
    }

    private int status(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void startsAndRefusesWhatItCannotDo() throws Exception {
        assertThat(status("/actuator/health")).isEqualTo(200);
        assertThat(status("/v3/api-docs")).isEqualTo(200);
        assertThat(status("/internal/v1/federation-list")).isEqualTo(401);
    }
}
