package de.tim.routes.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.RegistrationServiceIntegrationTestBase;

/** The two example integrator routes in examples/, loaded from the configured directory at start. */
class ExtensionPointIntegrationTests extends RegistrationServiceIntegrationTestBase {

    @Autowired
    CamelContext camel;

    @Test
    void routeFilesFromTheConfiguredDirectoryAreLoaded() {
        assertThat(camel.getRoute("example-kis-where-is")).isNotNull();
        assertThat(camel.getRoute("example-kis-export-events")).isNotNull();
    }

    @Test
    void inboundKisAsksWhereAnMxidIsPublished() throws Exception {
        Path in = Files.createDirectories(KIS_DIR.resolve("import"));
        String name = "q-" + System.nanoTime() + ".txt";
        Files.writeString(in.resolve(name), "@empfang:praxis-a.tim.local\n");
        Path answer = KIS_DIR.resolve("answer").resolve(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(answer) && Files.size(answer) > 0);
        assertThat(Files.readString(answer)).isEqualTo("org");
    }

    @Test
    void outboundKisReceivesProvisioningEvents() throws Exception {
        String session = adminSession("smcb-praxis-a");
        String domain = "kis-event-" + System.nanoTime() + ".tim.local";
        assertThat(post("/registration/v1/messenger-services", new ObjectMapper().createObjectNode().put("domain", domain).toString(),
                session).statusCode()).isEqualTo(201);
        Path export = KIS_DIR.resolve("export");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!Files.isDirectory(export)) {
                return false;
            }
            try (Stream<Path> files = Files.list(export)) {
                return files.anyMatch(f -> {
                    try {
                        return Files.readString(f).contains(domain);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
            }
        });
    }

    @Test
    void theOpenApiDocumentIsPublished() {
        var response = get("/v3/api-docs", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("/registration/v1/messenger-services").contains("/registration/v1/onboarding/idp")
                .contains("/internal/v1/federation-list");
    }
}
