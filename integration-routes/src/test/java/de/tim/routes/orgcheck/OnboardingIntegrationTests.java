package de.tim.routes.orgcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;

import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;
import de.tim.routes.admin.Totp;

/** AF_10103 method 1 against the simulated IDP, Org-Admin login with two factors, and I_requestToken against the VZD. */
class OnboardingIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";

    private String nonce() throws Exception {
        HttpResponse<String> response = post("/registration/v1/onboarding/nonce", null, null);
        assertThat(response.statusCode()).isEqualTo(201);
        return JSON.readTree(response.body()).get("nonce").asText();
    }

    private HttpResponse<String> onboard(String idToken, String username) {
        ObjectNode body = JSON.createObjectNode().put("idToken", idToken).put("username", username).put("password", PASSWORD);
        return post("/registration/v1/onboarding/idp", body.toString(), null);
    }

    private HttpResponse<String> login(String username, String password, String totp) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password).put("totp", totp);
        return post("/registration/v1/admin/login", body.toString(), null);
    }

    @Test
    void smcbAuthenticationOnboardsTheOrganisationOnceAndItsAdminGetsARegServiceTokenTheVzdAccepts() throws Exception {
        HttpResponse<String> onboarded = onboard(Simulators.shared().idToken("smcb-klinik-b", nonce()), "admin.klinik-b");
        assertThat(onboarded.statusCode()).as(onboarded.body()).isEqualTo(201);
        JsonNode result = JSON.readTree(onboarded.body());
        assertThat(result.get("telematikId").asText()).isEqualTo("5-SMC-B-Testkarte-883110000147436");
        assertThat(result.get("professionOid").asText()).isEqualTo("1.2.276.0.76.4.53");
        String secret = result.get("totpSecret").asText();

        // second initial authentication for the same organisation is refused
        HttpResponse<String> again = onboard(Simulators.shared().idToken("smcb-klinik-b", nonce()), "someone.else");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("ADMIN_EXISTS");

        // two factors: wrong TOTP or wrong password fail alike
        long step = Totp.step(Instant.now().getEpochSecond());
        assertThat(login("admin.klinik-b", PASSWORD, "000000".equals(Totp.code(secret, step)) ? "111111" : "000000").statusCode()).isEqualTo(401);
        assertThat(login("admin.klinik-b", "wrong password!!", Totp.code(secret, step)).statusCode()).isEqualTo(401);
        HttpResponse<String> loggedIn = login("admin.klinik-b", PASSWORD, Totp.code(secret, step));
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(200);
        // a used one-time code cannot be replayed
        assertThat(login("admin.klinik-b", PASSWORD, Totp.code(secret, step)).statusCode()).isEqualTo(401);
        String session = JSON.readTree(loggedIn.body()).get("access_token").asText();

        assertThat(get("/registration/v1/organisation", session).body()).contains("1.2.276.0.76.4.53");

        HttpResponse<String> token = post("/registration/v1/tokens/regservice-openid-token", null, session);
        assertThat(token.statusCode()).isEqualTo(200);
        String jwt = JSON.readTree(token.body()).get("token").asText();
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo("BP256R1");
        assertThat(parsed.getHeader().getX509CertChain()).isNotEmpty();
        assertThat(parsed.getJWTClaimsSet().getClaim("idNummer")).isEqualTo("5-SMC-B-Testkarte-883110000147436");
        assertThat(parsed.getJWTClaimsSet().getClaim("professionOID")).isEqualTo("1.2.276.0.76.4.53");
        assertThat(parsed.getJWTClaimsSet().getAudience()).containsExactly(Simulators.shared().baseUrl() + "/owner-authenticate");
        assertThat(Simulators.shared().ownerAuthenticate(jwt)).isEqualTo(200);
    }

    @Test
    void aPractitionersProfessionOidIsNotAnInstitution() throws Exception {
        HttpResponse<String> response = onboard(Simulators.shared().idToken("hba-anna-schmidt", nonce()), "anna");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("NOT_AN_INSTITUTION");
    }

    @Test
    void aNonceWorksOnceAndOnlyIfThisServiceIssuedIt() throws Exception {
        String nonce = nonce();
        String idToken = Simulators.shared().idToken("hba-ben-weber", nonce);
        assertThat(onboard(idToken, "ben").statusCode()).isEqualTo(403);
        HttpResponse<String> reused = onboard(idToken, "ben");
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(reused.body()).contains("INVALID_NONCE");
        HttpResponse<String> foreign = onboard(Simulators.shared().idToken("smcb-praxis-a", "not-issued-here"), "praxis");
        assertThat(foreign.statusCode()).isEqualTo(401);
    }

    @Test
    void aTamperedIdTokenIsRefused() throws Exception {
        String[] parts = Simulators.shared().idToken("smcb-praxis-a", nonce()).split("\\.");
        String[] other = Simulators.shared().idToken("hba-anna-schmidt", nonce()).split("\\.");
        HttpResponse<String> response = onboard(parts[0] + "." + other[1] + "." + parts[2], "praxis");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("INVALID_ID_TOKEN").contains("signature");
    }

    @Test
    void badInputIsA4xxWithAnErrorObject() {
        assertThat(post("/registration/v1/onboarding/idp", "{not json", null).statusCode()).isEqualTo(400);
        assertThat(onboard("x.y.z", "a").statusCode()).isEqualTo(400);
        assertThat(onboard("x.y.z", "valid.name").statusCode()).isEqualTo(401);
        assertThat(post("/registration/v1/tokens/regservice-openid-token", null, null).statusCode()).isEqualTo(401);
        assertThat(post("/registration/v1/tokens/regservice-openid-token", null, "unknown-session").statusCode()).isEqualTo(401);
    }
}
