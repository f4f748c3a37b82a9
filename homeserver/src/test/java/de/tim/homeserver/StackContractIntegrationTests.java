package de.tim.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.registration.RegistrationService;
import de.tim.testsupport.MongoWireServers;
import de.tim.testsupport.SharedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The configuration contract with the local stack launcher: the application started with
 * {@link SpringApplicationBuilder} and exactly the launcher's argument shapes, twice in one JVM.
 */
class StackContractIntegrationTests {

    @Test
    void startsTwiceInOneJvmWithTheLaunchersArguments() {
        try (ConfigurableApplicationContext first = start(MongoWireServers.uniqueDatabaseName("stack"));
                ConfigurableApplicationContext second = start(MongoWireServers.uniqueDatabaseName("stack"))) {
            for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
                int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                MatrixTestClient praxis = new MatrixTestClient(port, "localhost:8443", "stack-secret");
                MatrixTestClient klinik = new MatrixTestClient(port, "localhost:9443", "stack-secret");
                assertThat(praxis.get("/.well-known/matrix/client", null).body().path("m.homeserver").path("base_url").asText())
                        .isEqualTo("https://localhost:8443/");
                assertThat(klinik.get("/.well-known/matrix/client", null).body().path("m.homeserver").path("base_url").asText())
                        .isEqualTo("https://localhost:9443/");
                assertThat(new MatrixTestClient(port, "localhost:8443", null).get("/_matrix/client/versions", null).status())
                        .isEqualTo(403);
                String nonce = praxis.get("/_synapse/admin/v1/register", null).text("nonce");
                MatrixTestClient.Response registered = praxis.post("/_synapse/admin/v1/register", null, Map.of("nonce", nonce,
                        "username", "arzt", "password", "stack password", "admin", true,
                        "mac", RegistrationService.mac("stack-shared", nonce, "arzt", "stack password", true, null)));
                assertThat(registered.text("user_id")).isEqualTo("@arzt:praxis-a.tim.local");
                assertThat(klinik.get("/_matrix/client/v3/account/whoami", registered.text("access_token")).status())
                        .isEqualTo(401);
            }
        }
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(HomeserverApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--spring.data.mongodb.uri=" + MongoWireServers.shared().connectionString(),
                "--spring.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                "--tim.homeserver.proxy-secret=stack-secret",
                "--tim.homeserver.registration.shared-secret=stack-shared",
                "--tim.homeserver.central-database=" + database + "_central",
                "--tim.homeserver.database-prefix=" + database + "_",
                "--tim.homeserver.domains[0].server-name=praxis-a.tim.local",
                "--tim.homeserver.domains[0].hosts=localhost:8443",
                "--tim.homeserver.domains[0].public-base-url=https://localhost:8443/",
                "--tim.homeserver.domains[1].server-name=klinik-b.tim.local",
                "--tim.homeserver.domains[1].hosts=localhost:9443",
                "--tim.homeserver.domains[1].public-base-url=https://localhost:9443/");
    }
}
