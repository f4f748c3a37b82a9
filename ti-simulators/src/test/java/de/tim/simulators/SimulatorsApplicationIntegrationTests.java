package de.tim.simulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import de.tim.simulators.pki.PkiFiles;

/** Starting the simulators the way the stack does: in-process, several at once, with a persistent data dir. */
class SimulatorsApplicationIntegrationTests {

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(SimulatorsApplication.class).run("--server.port=0",
                "--tim.simulators.data-dir=" + dataDir, "--tim.simulators.kim.smtp-port=0",
                "--tim.simulators.kim.imap-port=0", "--logging.level.root=warn");
    }

    private static SimulatorHttp http(ConfigurableApplicationContext context) {
        return new SimulatorHttp(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Test
    void aDataDirKeepsPkiAndFederationListAcrossRestartsAndInstancesDoNotShareState(@TempDir Path dir) throws Exception {
        long version;
        String roots;
        try (ConfigurableApplicationContext first = start(dir.resolve("a"));
             ConfigurableApplicationContext other = start(dir.resolve("b"))) {
            SimulatorHttp http = http(first);
            String token = http.providerToken();
            SimulatorHttp.Response added = http.postJson("/tim-provider-services/federation",
                    "{\"domain\":\"restart.tim.test\",\"telematikID\":\"1-SMC-B-Testkarte-883110000147435\",\"isInsurance\":false}",
                    "Authorization", "Bearer " + token);
            assertThat(added.status()).isEqualTo(200);
            version = http.get("/control/federation-list").json().get("version").asLong();
            roots = Files.readString(dir.resolve("a").resolve("pki").resolve(PkiFiles.ROOTS_PEM));

            assertThat(http(other).get("/control/federation-list").json().get("version").asLong()).isLessThan(version);
            assertThat(Files.readString(dir.resolve("b").resolve("pki").resolve(PkiFiles.ROOTS_PEM))).isNotEqualTo(roots);
        }
        try (ConfigurableApplicationContext restarted = start(dir.resolve("a"))) {
            SimulatorHttp http = http(restarted);
            assertThat(http.get("/control/federation-list").json().get("version").asLong()).isEqualTo(version);
            assertThat(Files.readString(dir.resolve("a").resolve("pki").resolve(PkiFiles.ROOTS_PEM))).isEqualTo(roots);
            String token = http.providerToken();
            assertThat(http.get("/tim-provider-services/federation?domain=restart.tim.test", "Authorization", "Bearer " + token).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void defaultsDoNotDependOnWhichApplicationYmlIsOnTheClasspath() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SimulatorsApplication.class).run(
                "--spring.config.name=no-such-config", "--server.port=0", "--tim.simulators.kim.smtp-port=0",
                "--tim.simulators.kim.imap-port=0", "--logging.level.root=warn")) {
            SimulatorHttp http = http(context);
            assertThat(http.providerToken()).isNotBlank();
            assertThat(http.get("/idp/.well-known/openid-configuration").status()).isEqualTo(200);
            assertThat(http.get("/no/such/path").status()).isEqualTo(404);
            assertThat(http.get("/no/such/path").json().get("message").asText()).isEqualTo("not found");
        }
    }
}
