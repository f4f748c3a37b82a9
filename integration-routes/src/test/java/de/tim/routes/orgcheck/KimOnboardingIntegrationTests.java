package de.tim.routes.orgcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import de.tim.routes.RegistrationDatabase;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;
import de.tim.routes.admin.Totp;

/**
 * AF_10103 method 2 against the simulated VZD (KIM address lookup through /search) and KIM server: the link arrives
 * by KIM, is followed, confirmed once with credentials, and the admin logs in with password and TOTP.
 */
class KimOnboardingIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("(http://\\S+/registration/v1/onboarding/kim/confirm\\?token=[A-Za-z0-9_-]+)");
    private static final String PASSWORD = "correct horse battery staple";

    @Autowired
    MongoClient mongo;

    @Autowired
    RegistrationDatabase database;

    /** A new organisation in the simulated directory with a KIM mailbox; returns its KIM address. */
    private static String seedOrganisation(String id, String professionOid, boolean active) {
        String kim = "org-" + id + "@kim.tim.local";
        Simulators.shared().seed("""
                {"organizations":[{"id":"kim-%1$s","telematikId":"3-SMC-B-KIM-%1$s","name":"KIM Praxis %1$s","professionOid":"%2$s",
                  "active":%3$s,"kimAddress":"%4$s"}]}
                """.formatted(id, professionOid, active, kim));
        return kim;
    }

    private HttpResponse<String> requestLink(String kim) {
        return post("/registration/v1/onboarding/kim", JSON.createObjectNode().put("kimAddress", kim).toString(), null);
    }

    /** Waits for the KIM mail and returns the confirmation link in it. */
    private static String linkFromMail(String kim, int mailNumber) {
        JsonNode messages = Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Simulators.shared().kimMessages(kim), m -> m.size() >= mailNumber);
        JsonNode mail = messages.get(mailNumber - 1);
        assertThat(mail.path("subject").asText()).contains("Registrierung");
        Matcher matcher = LINK.matcher(mail.path("text").asText());
        assertThat(matcher.find()).as(mail.toString()).isTrue();
        return matcher.group(1);
    }

    private static String token(String link) {
        return URI.create(link).getQuery().substring("token=".length());
    }

    private HttpResponse<String> confirm(String token, String username) {
        return post("/registration/v1/onboarding/kim/confirm", JSON.createObjectNode().put("token", token)
                .put("username", username).put("password", PASSWORD).toString(), null);
    }

    private HttpResponse<String> follow(String link) {
        URI uri = URI.create(link);
        return get(uri.getRawPath() + "?" + uri.getRawQuery(), null);
    }

    @Test
    void theKimLinkVerifiesTheOrganisationFromTheDirectoryOnceAndItsAdminLogsInWithTwoFactors() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = seedOrganisation(id, "1.2.276.0.76.4.50", true);

        HttpResponse<String> requested = requestLink(kim);
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        String link = linkFromMail(kim, 1);
        // the token is stored hashed only
        assertThat(mongo.getDatabase(database.database()).getCollection("kim_confirmations")
                .countDocuments(Filters.eq("_id", token(link)))).isZero();

        HttpResponse<String> followed = follow(link);
        assertThat(followed.statusCode()).as(followed.body()).isEqualTo(200);
        assertThat(JSON.readTree(followed.body()).get("telematikId").asText()).isEqualTo("3-SMC-B-KIM-" + id);

        HttpResponse<String> confirmed = confirm(token(link), "kim.admin." + id);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(201);
        JsonNode result = JSON.readTree(confirmed.body());
        // telematikID and ProfessionOID come from the directory entry of the KIM address, not from the Org-Admin
        assertThat(result.get("telematikId").asText()).isEqualTo("3-SMC-B-KIM-" + id);
        assertThat(result.get("professionOid").asText()).isEqualTo("1.2.276.0.76.4.50");
        String secret = result.get("totpSecret").asText();

        HttpResponse<String> login = post("/registration/v1/admin/login", JSON.createObjectNode().put("username", "kim.admin." + id)
                .put("password", PASSWORD).put("totp", Totp.code(secret, Totp.step(Instant.now().getEpochSecond()))).toString(), null);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String session = JSON.readTree(login.body()).get("access_token").asText();
        JsonNode organisation = JSON.readTree(get("/registration/v1/organisation", session).body());
        assertThat(organisation.get("method").asText()).isEqualTo("KIM");
        assertThat(organisation.get("kimAddress").asText()).isEqualTo(kim);

        // the link works once
        HttpResponse<String> reused = confirm(token(link), "kim.other." + id);
        assertThat(reused.statusCode()).isEqualTo(410);
        assertThat(reused.body()).contains("LINK_USED");
        assertThat(follow(link).statusCode()).isEqualTo(410);

        // no second initial authentication once the organisation has an admin
        HttpResponse<String> again = requestLink(kim);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("ADMIN_EXISTS");
        assertThat(Simulators.shared().kimMessages(kim)).hasSize(1);
    }

    @Test
    void anExpiredLinkIsRefusedAndANewOneWorks() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = seedOrganisation(id, "1.2.276.0.76.4.50", true);
        assertThat(requestLink(kim).statusCode()).isEqualTo(202);
        String expired = token(linkFromMail(kim, 1));
        // let it expire (the lifetime is configuration; the stored expiry is moved into the past)
        mongo.getDatabase(database.database()).getCollection("kim_confirmations").updateOne(
                Filters.eq("_id", KimOnboardingService.hash(expired)), Updates.set("expiresAt", Date.from(Instant.now().minusSeconds(1))));
        HttpResponse<String> refused = confirm(expired, "kim.late." + id);
        assertThat(refused.statusCode()).isEqualTo(410);
        assertThat(refused.body()).contains("LINK_EXPIRED");

        HttpResponse<String> renewed = requestLink(kim);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(202);
        // while that new link is usable, no further mail goes to the mailbox within the resend interval
        HttpResponse<String> flood = requestLink(kim);
        assertThat(flood.statusCode()).isEqualTo(429);
        assertThat(flood.body()).contains("LINK_PENDING");
        String fresh = token(linkFromMail(kim, 2));
        assertThat(confirm(fresh, "kim.late." + id).statusCode()).isEqualTo(201);
    }

    @Test
    void aBadPasswordDoesNotUseTheLinkUp() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = seedOrganisation(id, "1.2.276.0.76.4.53", true);
        assertThat(requestLink(kim).statusCode()).isEqualTo(202);
        String token = token(linkFromMail(kim, 1));
        HttpResponse<String> weak = post("/registration/v1/onboarding/kim/confirm", JSON.createObjectNode().put("token", token)
                .put("username", "kim.weak." + id).put("password", "short").toString(), null);
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(confirm(token, "kim.weak." + id).statusCode()).isEqualTo(201);
    }

    @Test
    void theDirectoryDecidesWhoMayAuthenticate() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        // a practitioner's ProfessionOID (Ärztin/Arzt) is no institution
        HttpResponse<String> wrongOid = requestLink(seedOrganisation(id, "1.2.276.0.76.4.30", true));
        assertThat(wrongOid.statusCode()).isEqualTo(403);
        assertThat(wrongOid.body()).contains("NOT_AN_INSTITUTION");

        String inactive = seedOrganisation("in-" + id, "1.2.276.0.76.4.50", false);
        HttpResponse<String> refused = requestLink(inactive);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("ORGANISATION_INACTIVE");
        assertThat(Simulators.shared().kimMessages(inactive)).isEmpty();

        HttpResponse<String> unknown = requestLink("nobody-" + id + "@kim.tim.local");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("KIM_ADDRESS_UNKNOWN");
    }

    @Test
    void anOrganisationOnboardedByTheIdpCannotStartASecondInitialAuthenticationByKim() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = "both-" + id + "@kim.tim.local";
        Simulators.shared().seed("""
                {"organizations":[{"id":"both-%1$s","telematikId":"3-SMC-B-BOTH-%1$s","name":"Both %1$s","professionOid":"1.2.276.0.76.4.50",
                  "kimAddress":"%2$s","smcbIdentity":"smcb-both-%1$s"}]}
                """.formatted(id, kim));
        String nonce = JSON.readTree(post("/registration/v1/onboarding/nonce", null, null).body()).get("nonce").asText();
        HttpResponse<String> idp = post("/registration/v1/onboarding/idp", JSON.createObjectNode()
                .put("idToken", Simulators.shared().idToken("smcb-both-" + id, nonce)).put("username", "both." + id)
                .put("password", PASSWORD).toString(), null);
        assertThat(idp.statusCode()).as(idp.body()).isEqualTo(201);
        HttpResponse<String> byKim = requestLink(kim);
        assertThat(byKim.statusCode()).isEqualTo(409);
        assertThat(byKim.body()).contains("ADMIN_EXISTS");
        assertThat(Simulators.shared().kimMessages(kim)).isEmpty();
    }

    @Test
    void anExpiredOrRevokedSearchTokenIsRenewedAndTheSearchRepeated() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = seedOrganisation(id, "1.2.276.0.76.4.50", true);
        // the next /search answers 401 as for an expired search-accesstoken
        Simulators.shared().fail("/search", 401, 1);
        try {
            HttpResponse<String> requested = requestLink(kim);
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        } finally {
            Simulators.shared().clearFault("/search");
        }
        assertThat(linkFromMail(kim, 1)).contains("token=");
    }

    @Test
    void unknownOrMalformedLinksAndBadInputAre4xx() {
        assertThat(confirm("A".repeat(43), "kim.nobody").statusCode()).isEqualTo(404);
        assertThat(confirm("../../etc", "kim.nobody").statusCode()).isEqualTo(404);
        assertThat(get("/registration/v1/onboarding/kim/confirm", null).statusCode()).isEqualTo(404);
        assertThat(requestLink("not a mail").statusCode()).isEqualTo(400);
        assertThat(post("/registration/v1/onboarding/kim", "{not json", null).statusCode()).isEqualTo(400);
        assertThat(post("/registration/v1/onboarding/kim/confirm", null, null).statusCode()).isEqualTo(400);
    }

    @Test
    void vzdSearchDownIsAClearErrorAndNoMailIsSent() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kim = seedOrganisation(id, "1.2.276.0.76.4.50", true);
        Simulators.shared().fail("/search", 503, 0);
        try {
            HttpResponse<String> response = requestLink(kim);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("VZD_UNAVAILABLE");
        } finally {
            Simulators.shared().clearFault("/search");
        }
        assertThat(Simulators.shared().kimMessages(kim)).isEmpty();
    }
}
