package de.tim.routes.orgcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;

import de.tim.routes.RegistrationDatabase;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/**
 * AF_10103 method 2 while the KIM mail server is down (nothing listens on the configured SMTP port): the link request
 * answers 502 {@code KIM_FAILED}, nothing is left behind (no stored link, so no {@code LINK_PENDING}), and as soon as
 * the mail server is back a new request sends a link that works. Its own context: the SMTP URI points at a port this
 * test controls.
 */
class KimMailFailureIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SMTP_PORT = freePort();

    @Autowired
    MongoClient mongo;

    @Autowired
    RegistrationDatabase database;

    @DynamicPropertySource
    static void closedSmtpPort(DynamicPropertyRegistry registry) {
        // the base class sets org-active.smtp-uri (its value wins over this class's); this one is only set here
        registry.add("tim.routes.orgcheck.kim-smtp-uri", () -> "smtp://127.0.0.1:" + SMTP_PORT);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> requestLink(String kim) {
        return post("/registration/v1/onboarding/kim", JSON.createObjectNode().put("kimAddress", kim).toString(), null);
    }

    private long storedLinks(String kim) {
        return mongo.getDatabase(database.database()).getCollection("kim_confirmations").countDocuments(Filters.eq("kimAddress", kim));
    }

    @Test
    void smtpDownIsA502WithNothingStoredAndTheLinkCanBeRequestedAgainAtOnce() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = "down-" + id + "@kim.tim.local";
        Simulators.shared().seed("""
                {"organizations":[{"id":"kimdown-%1$s","telematikId":"3-SMC-B-KIMDOWN-%1$s","name":"KIM down %1$s",
                  "professionOid":"1.2.276.0.76.4.50","active":true,"kimAddress":"%2$s"}]}
                """.formatted(id, kim));

        HttpResponse<String> failed = requestLink(kim);
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
        assertThat(JSON.readTree(failed.body()).get("errorCode").asText()).isEqualTo("KIM_FAILED");
        assertThat(failed.body()).doesNotContain("Exception").doesNotContain(Integer.toString(SMTP_PORT));
        assertThat(storedLinks(kim)).isZero();

        // no link counts as sent: a second request is not refused as LINK_PENDING
        HttpResponse<String> again = requestLink(kim);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(502);
        assertThat(storedLinks(kim)).isZero();

        GreenMail kimServer = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        kimServer.start();
        try {
            kimServer.setUser(kim, kim, "kim");
            HttpResponse<String> sent = requestLink(kim);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
            assertThat(storedLinks(kim)).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> kimServer.getReceivedMessagesForDomain("kim.tim.local").length == 1);
            // decoded text (the raw body is quoted-printable)
            String text = String.valueOf(kimServer.getReceivedMessagesForDomain("kim.tim.local")[0].getContent());
            java.util.regex.Matcher token = java.util.regex.Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(text);
            assertThat(token.find()).as(text).isTrue();

            HttpResponse<String> inspected = get("/registration/v1/onboarding/kim/confirm?token=" + token.group(1), null);
            assertThat(inspected.statusCode()).as(inspected.body()).isEqualTo(200);
            HttpResponse<String> confirmed = post("/registration/v1/onboarding/kim/confirm", JSON.createObjectNode()
                    .put("token", token.group(1)).put("username", "kim.down." + id).put("password", "correct horse battery staple")
                    .toString(), null);
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(201);
            assertThat(JSON.readTree(confirmed.body()).get("telematikId").asText()).isEqualTo("3-SMC-B-KIMDOWN-" + id);
        } finally {
            kimServer.stop();
        }
    }
}
