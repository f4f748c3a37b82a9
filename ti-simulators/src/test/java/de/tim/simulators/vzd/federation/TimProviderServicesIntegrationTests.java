package de.tim.simulators.vzd.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.nimbusds.jose.JWSAlgorithm;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import de.tim.simulators.OpenApiContract;
import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;
import de.tim.simulators.pki.TestPki;

class TimProviderServicesIntegrationTests extends SimulatorIntegrationTestBase {

    private static final String PRAXIS_A = "1-SMC-B-Testkarte-883110000147435";

    @Autowired
    TestPki pki;

    String token;

    @BeforeEach
    void setUp() {
        token = http.providerToken();
    }

    private String[] auth() {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private SimulatorHttp.Response checked(String method, String path, String body) {
        SimulatorHttp.Response response = switch (method) {
            case "GET" -> http.get(path, auth());
            case "DELETE" -> http.delete(path, auth());
            case "POST" -> http.postJson(path, body, auth());
            case "PUT" -> http.putJson(path, body, auth());
            default -> throw new IllegalArgumentException(method);
        };
        OpenApiContract.assertConforms(method, path, body, response);
        return response;
    }

    private X5cJwsVerifier verifierFromExportedRoots() {
        return new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(pki.rootsPem())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
    }

    @Test
    void infoConformsToTheOpenApi() {
        SimulatorHttp.Response response = checked("GET", "/tim-provider-services/", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("version").asText()).isEqualTo("1.3.0");
    }

    @Test
    void federationListIsASignedJwsWithX5cThatValidatesToTheExportedRootAndMatchesTheSchema() throws Exception {
        SimulatorHttp.Response response = checked("GET", "/tim-provider-services/FederationList/federationList.jws", null);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/octet-stream");

        VerifiedJws jws = verifierFromExportedRoots().verify(response.body());
        assertThat(jws.jws().getHeader().getAlgorithm()).isIn(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256);
        JsonNode payload = new ObjectMapper().readTree(jws.jws().getPayload().toString());
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(OpenApiContract.resource(OpenApiContract.FEDERATION_LIST_SCHEMA));
        Set<ValidationMessage> errors = schema.validate(payload);
        assertThat(errors).isEmpty();
        assertThat(payload.get("domainList")).allSatisfy(entry ->
                assertThat(entry.fieldNames()).toIterable().contains("domain", "telematikID", "isInsurance", "timProvider"));
        assertThat(payload.get("domainList").findValuesAsText("domain")).contains("praxis-a.tim.local", "klinik-b.tim.local");
        assertThat(payload.get("exp").asLong()).isGreaterThan(payload.get("iat").asLong());
    }

    @Test
    void versionParameterAnswers204UntilTheListChanges() throws Exception {
        // versions only grow, so this holds even while other tests change the list
        long version = currentVersion();
        SimulatorHttp.Response notNewer = checked("GET", "/tim-provider-services/FederationList/federationList.jws?version=" + (version + 1_000_000), null);
        assertThat(notNewer.status()).isEqualTo(204);

        String domain = uniqueDomain();
        assertThat(checked("POST", "/tim-provider-services/federation", domainJson(domain, PRAXIS_A)).status()).isEqualTo(200);

        SimulatorHttp.Response newer = checked("GET", "/tim-provider-services/FederationList/federationList.jws?version=" + version, null);
        assertThat(newer.status()).isEqualTo(200);
        JsonNode payload = payload(newer.body());
        assertThat(payload.get("version").asLong()).isGreaterThan(version);
        assertThat(payload.get("domainList").findValuesAsText("domain")).contains(domain);
        long afterAdd = payload.get("version").asLong();
        assertThat(checked("DELETE", "/tim-provider-services/federation/" + domain, null).status()).isEqualTo(204);
        assertThat(currentVersion()).isGreaterThan(afterAdd);

        SimulatorHttp.Response bad = http.get("/tim-provider-services/FederationList/federationList.jws?version=abc", auth());
        OpenApiContract.assertConforms("GET", "/tim-provider-services/FederationList/federationList.jws?version=abc", null, bad, false);
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void es256CanBeSelected() throws Exception {
        assertThat(http.send("PUT", "/control/federation-list/algorithm?alg=ES256", null, null).status()).isEqualTo(200);
        try {
            SimulatorHttp.Response response = http.get("/tim-provider-services/FederationList/federationList.jws", auth());
            assertThat(verifierFromExportedRoots().verify(response.body()).jws().getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        } finally {
            http.send("PUT", "/control/federation-list/algorithm?alg=BP256R1", null, null);
        }
        SimulatorHttp.Response response = http.get("/tim-provider-services/FederationList/federationList.jws", auth());
        assertThat(verifierFromExportedRoots().verify(response.body()).jws().getHeader().getAlgorithm()).isEqualTo(TiJwsAlgorithms.BP256R1);
    }

    @Test
    void tamperedListsFailVerificationUntilSwitchedBack() throws Exception {
        try {
            assertThat(http.send("PUT", "/control/federation-list/tampering?mode=foreign-signer", null, null).json()
                    .get("tampering").asText()).isEqualTo("foreign-signer");
            String foreign = http.get("/tim-provider-services/FederationList/federationList.jws", auth()).body();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifierFromExportedRoots().verify(foreign))
                    .isInstanceOf(de.tim.crypto.jws.JwsVerificationException.class);

            http.send("PUT", "/control/federation-list/tampering?mode=modified-payload", null, null);
            String modified = http.get("/tim-provider-services/FederationList/federationList.jws", auth()).body();
            String payload = new String(Base64.getUrlDecoder().decode(modified.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(payload).contains(FederationListSigner.TAMPERED_DOMAIN);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifierFromExportedRoots().verify(modified))
                    .isInstanceOf(de.tim.crypto.jws.JwsVerificationException.class);
            assertThat(http.send("PUT", "/control/federation-list/tampering?mode=bogus", null, null).status()).isEqualTo(400);
        } finally {
            http.send("PUT", "/control/federation-list/tampering?mode=none", null, null);
        }
        String restored = http.get("/tim-provider-services/FederationList/federationList.jws", auth()).body();
        assertThat(verifierFromExportedRoots().verify(restored).claims().toString()).doesNotContain(FederationListSigner.TAMPERED_DOMAIN);
    }

    @Test
    void domainLifecycleWithOwnershipAndConflicts() {
        String domain = uniqueDomain();
        SimulatorHttp.Response added = checked("POST", "/tim-provider-services/federation", domainJson(domain, PRAXIS_A));
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("isInsurance").asBoolean()).isFalse();

        assertThat(checked("POST", "/tim-provider-services/federation", domainJson(domain, PRAXIS_A)).status()).isEqualTo(409);

        SimulatorHttp.Response one = checked("GET", "/tim-provider-services/federation?domain=" + domain, null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get(0).get("telematikID").asText()).isEqualTo(PRAXIS_A);
        SimulatorHttp.Response mine = checked("GET", "/tim-provider-services/federation", null);
        assertThat(mine.json().findValuesAsText("domain")).contains(domain, "praxis-a.tim.local");
        assertThat(checked("GET", "/tim-provider-services/federation?domain=unknown." + domain, null).status()).isEqualTo(404);

        String other = http.providerToken("other-provider", "other-provider-secret");
        String[] otherAuth = {"Authorization", "Bearer " + other};
        String update = "{\"domain\":\"" + domain + "\",\"telematikID\":\"" + PRAXIS_A + "\",\"isInsurance\":true}";
        SimulatorHttp.Response foreignUpdate = http.putJson("/tim-provider-services/federation/" + domain, update, otherAuth);
        OpenApiContract.assertConforms("PUT", "/tim-provider-services/federation/" + domain, update, foreignUpdate);
        assertThat(foreignUpdate.status()).isEqualTo(403);
        SimulatorHttp.Response foreignDelete = http.delete("/tim-provider-services/federation/" + domain, otherAuth);
        OpenApiContract.assertConforms("DELETE", "/tim-provider-services/federation/" + domain, null, foreignDelete);
        assertThat(foreignDelete.status()).isEqualTo(403);
        assertThat(http.get("/tim-provider-services/federation", otherAuth).json().findValuesAsText("domain")).doesNotContain(domain);

        SimulatorHttp.Response updated = checked("PUT", "/tim-provider-services/federation/" + domain, update);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("isInsurance").asBoolean()).isTrue();
        assertThat(checked("PUT", "/tim-provider-services/federation/other-" + domain,
                "{\"domain\":\"" + domain + "\",\"telematikID\":\"" + PRAXIS_A + "\",\"isInsurance\":false}").status()).isEqualTo(400);

        assertThat(checked("DELETE", "/tim-provider-services/federation/" + domain, null).status()).isEqualTo(204);
        assertThat(checked("DELETE", "/tim-provider-services/federation/" + domain, null).status()).isEqualTo(404);
    }

    @Test
    void addingADomainOfAnInactiveOrUnknownOrganisationIs400() {
        String telematikId = "1-SMC-B-Testkarte-" + UUID.randomUUID();
        seedOrganisation(telematikId, false);
        SimulatorHttp.Response inactive = checked("POST", "/tim-provider-services/federation", domainJson(uniqueDomain(), telematikId));
        assertThat(inactive.status()).isEqualTo(400);
        assertThat(inactive.json().get("message").asText()).contains("not active");
        assertThat(checked("POST", "/tim-provider-services/federation", domainJson(uniqueDomain(), "no-such-id")).status()).isEqualTo(400);
    }

    @Test
    void invalidBodiesAre400WithTheErrorObject() {
        String body = "{\"domain\":\"x.tim.local\"}";
        SimulatorHttp.Response missing = http.postJson("/tim-provider-services/federation", body, auth());
        OpenApiContract.assertConforms("POST", "/tim-provider-services/federation", body, missing, false);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").findValuesAsText("attributeName")).containsExactly("telematikID", "isInsurance");
        SimulatorHttp.Response garbage = http.postJson("/tim-provider-services/federation", "{not json", auth());
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().get("message").asText()).isNotBlank();
    }

    @Test
    void federationCheckReportsDomainsOfInactiveOrganisations() {
        String telematikId = "1-SMC-B-Testkarte-" + UUID.randomUUID();
        seedOrganisation(telematikId, true);
        String domain = uniqueDomain();
        assertThat(checked("POST", "/tim-provider-services/federation", domainJson(domain, telematikId)).status()).isEqualTo(200);

        SimulatorHttp.Response before = checked("GET", "/tim-provider-services/federationCheck", null);
        assertThat(before.status()).isIn(200, 204);
        if (before.status() == 200) {
            assertThat(before.json().get("inactiveOrganizationDomains").findValuesAsText("domain")).doesNotContain(domain);
        }
        assertThat(http.send("PUT", "/control/organizations/" + telematikId + "/active?active=false", null, null).status()).isEqualTo(200);
        SimulatorHttp.Response after = checked("GET", "/tim-provider-services/federationCheck", null);
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("inactiveOrganizationDomains").findValuesAsText("domain")).contains(domain);
    }

    @Test
    void localizationTellsWhereAnMxidIsPublished() {
        SimulatorHttp.Response org = checked("GET", "/tim-provider-services/localization?mxid=matrix:user/empfang:praxis-a.tim.local", null);
        assertThat(org.status()).isEqualTo(200);
        assertThat(org.json().asText()).isEqualTo("org");
        assertThat(checked("GET", "/tim-provider-services/localization?mxid=matrix:user/anna.schmidt:praxis-a.tim.local", null)
                .json().asText()).isEqualTo("pract");
        assertThat(checked("GET", "/tim-provider-services/localization?mxid=matrix:user/nobody:praxis-a.tim.local", null)
                .json().asText()).isEqualTo("none");
        assertThat(checked("GET", "/tim-provider-services/localization?mxid=garbage", null).status()).isEqualTo(400);
        assertThat(checked("GET", "/tim-provider-services/localization", null).status()).isEqualTo(400);
    }

    @Test
    void localizationFindsMxidsInBothParts() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String mxid = "@both-" + id + ":praxis-a.tim.local";
        String seed = """
                {"organizations":[{"id":"org-%1$s","telematikId":"tid-%1$s","name":"Both %1$s","professionOid":"1.2.276.0.76.4.50",
                  "healthcareServices":[{"id":"hs-%1$s","name":"HS","endpoints":[{"id":"ep-org-%1$s","mxid":"%2$s"}]}]}],
                 "practitioners":[{"id":"pr-%1$s","telematikId":"hba-%1$s","givenName":"B","familyName":"Oth","professionOid":"1.2.276.0.76.4.30",
                  "organizationId":"org-%1$s","endpoints":[{"id":"ep-pr-%1$s","mxid":"%2$s"}]}]}
                """.formatted(id, mxid);
        assertThat(http.postJson("/control/seed", seed).status()).isEqualTo(200);
        assertThat(http.get("/tim-provider-services/localization?mxid=matrix:user/" + mxid.substring(1), auth()).json().asText())
                .isEqualTo("orgPract");
    }

    @Test
    void localizationFindsEndpointsWhateverMxidNotationTheyStore() {
        // Endpoint.address "in URL notation" (matrix:u/...) as owners write it, and the bare MXID of older entries
        String id = UUID.randomUUID().toString().substring(0, 8);
        String seed = """
                {"organizations":[{"id":"org-u-%1$s","telematikId":"tid-u-%1$s","name":"URI %1$s","professionOid":"1.2.276.0.76.4.50",
                  "healthcareServices":[{"id":"hs-u-%1$s","name":"HS","endpoints":[{"id":"ep-u-%1$s","mxid":"matrix:u/Uri-%1$s:praxis-a.tim.local"}]}]}]}
                """.formatted(id);
        assertThat(http.postJson("/control/seed", seed).status()).isEqualTo(200);
        assertThat(http.get("/tim-provider-services/localization?mxid=matrix:user/uri-" + id + ":praxis-a.tim.local", auth()).json().asText())
                .isEqualTo("org");
        assertThat(http.get("/tim-provider-services/localization?mxid=matrix:user/empfang:praxis-a.tim.local", auth()).json().asText())
                .isEqualTo("org");
        assertThat(http.get("/tim-provider-services/localization?mxid=matrix:user/uri-" + id + ":other.tim.local", auth()).json().asText())
                .isEqualTo("none");
    }

    @Test
    void operationsWithoutOrWithTheWrongTokenAre401() {
        SimulatorHttp.Response none = http.get("/tim-provider-services/federation");
        OpenApiContract.assertConforms("GET", "/tim-provider-services/federation", null, none);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.json().get("message").asText()).isNotBlank();

        String tiProviderToken = http.postForm("/token", java.util.Map.of("grant_type", "client_credentials"),
                "Authorization", SimulatorHttp.basic(SimulatorHttp.CLIENT_ID, SimulatorHttp.CLIENT_SECRET)).json().get("access_token").asText();
        SimulatorHttp.Response wrongAudience = http.get("/tim-provider-services/federation", "Authorization", "Bearer " + tiProviderToken);
        assertThat(wrongAudience.status()).isEqualTo(401);
        assertThat(wrongAudience.json().get("message").asText()).contains("audience");

        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"clientId\":\"other-provider\"}".getBytes()) + "." + parts[2];
        assertThat(http.get("/tim-provider-services/federation", "Authorization", "Bearer " + tampered).status()).isEqualTo(401);
    }

    private long currentVersion() throws Exception {
        return payload(http.get("/tim-provider-services/FederationList/federationList.jws", auth()).body()).get("version").asLong();
    }

    private JsonNode payload(String jws) throws Exception {
        return new ObjectMapper().readTree(verifierFromExportedRoots().verify(jws).jws().getPayload().toString());
    }

    private void seedOrganisation(String telematikId, boolean active) {
        String id = UUID.randomUUID().toString();
        String seed = """
                {"organizations":[{"id":"%s","telematikId":"%s","name":"Test %s","professionOid":"1.2.276.0.76.4.50","active":%s}]}
                """.formatted(id, telematikId, id, active);
        assertThat(http.postJson("/control/seed", seed).status()).isEqualTo(200);
    }

    private static String uniqueDomain() {
        return "d" + UUID.randomUUID().toString().substring(0, 8) + ".tim.test";
    }

    private static String domainJson(String domain, String telematikId) {
        return "{\"domain\":\"" + domain + "\",\"telematikID\":\"" + telematikId + "\",\"isInsurance\":false}";
    }
}
