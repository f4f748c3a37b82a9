package de.tim.simulators.vzd.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import ca.uhn.fhir.context.FhirContext;
import de.tim.crypto.jws.TiJws;
import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;

class FhirDirectoryIntegrationTests extends SimulatorIntegrationTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PRAXIS_A = "1-SMC-B-Testkarte-883110000147435";
    private static final String KLINIK_B = "5-SMC-B-Testkarte-883110000147436";

    @Autowired
    TestPki pki;

    String search;

    @BeforeEach
    void token() {
        search = searchToken();
    }

    private Bundle search(String query) {
        SimulatorHttp.Response response = http.get("/search/" + query, "Authorization", "Bearer " + search);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static List<String> ids(Bundle bundle, Bundle.SearchEntryMode mode) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == mode)
                .map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void searchesByNamesAndPartialNames() {
        assertThat(ids(search("Organization?name=praxis"), Bundle.SearchEntryMode.MATCH)).containsExactly("Organization/praxis-a");
        assertThat(ids(search("Organization?name:contains=universitaets"), Bundle.SearchEntryMode.MATCH)).containsExactly("Organization/klinik-b");
        assertThat(ids(search("Practitioner?name=schm"), Bundle.SearchEntryMode.MATCH)).containsExactly("Practitioner/anna-schmidt");
        assertThat(ids(search("PractitionerRole?practitioner.name=Anna&practitioner.active=true"), Bundle.SearchEntryMode.MATCH))
                .containsExactly("PractitionerRole/anna-schmidt-role");
        assertThat(search("HealthcareService?name=Klinik%20B").getTotal()).isEqualTo(2);
    }

    @Test
    void searchesByTelematikIdAndEndpointAddress() {
        assertThat(ids(search("Organization?identifier=https://gematik.de/fhir/sid/telematik-id%7C" + KLINIK_B), Bundle.SearchEntryMode.MATCH))
                .containsExactly("Organization/klinik-b");
        assertThat(ids(search("Endpoint?address=@kardiologie:klinik-b.tim.local"), Bundle.SearchEntryMode.MATCH))
                .containsExactly("Endpoint/klinik-b-kardiologie-station");
        assertThat(ids(search("HealthcareService?endpoint.address=@empfang:praxis-a.tim.local"), Bundle.SearchEntryMode.MATCH))
                .containsExactly("HealthcareService/praxis-a-tim");
    }

    @Test
    void includesAndCounts() {
        Bundle bundle = search("HealthcareService?organization.active=true&_include=*&endpoint.status=active&organization.identifier=" + PRAXIS_A);
        assertThat(ids(bundle, Bundle.SearchEntryMode.MATCH)).containsExactly("HealthcareService/praxis-a-tim");
        assertThat(ids(bundle, Bundle.SearchEntryMode.INCLUDE))
                .containsExactlyInAnyOrder("Organization/praxis-a", "Endpoint/praxis-a-empfang", "Location/praxis-a-location");

        Bundle roles = search("PractitionerRole?_include=PractitionerRole:practitioner&_include=PractitionerRole:endpoint"
                + "&endpoint.payload-type=tim-chat&practitioner.qualification=1.2.276.0.76.4.30&_count=1");
        assertThat(roles.getTotal()).isGreaterThanOrEqualTo(2);
        assertThat(ids(roles, Bundle.SearchEntryMode.MATCH)).hasSize(1);
        assertThat(ids(roles, Bundle.SearchEntryMode.INCLUDE)).hasSize(2);

        Bundle count = search("Organization?_summary=count");
        assertThat(count.getEntry()).isEmpty();
        assertThat(count.getTotal()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void badSearchesAre400WithOperationOutcome() {
        SimulatorHttp.Response unknownParameter = http.get("/search/Organization?color=blue", "Authorization", "Bearer " + search);
        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(http.get("/search/Patient?name=x", "Authorization", "Bearer " + search).status()).isEqualTo(400);
        assertThat(http.get("/search/Organization?_count=x", "Authorization", "Bearer " + search).status()).isEqualTo(400);
        assertThat(http.get("/search/Organization/does-not-exist", "Authorization", "Bearer " + search).status()).isEqualTo(404);
    }

    @Test
    void searchNeedsASearchToken() {
        SimulatorHttp.Response none = http.get("/search/Organization");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(http.get("/search/Organization", "Authorization", "Bearer " + http.providerToken()).status()).isEqualTo(401);
    }

    @Test
    void ownersChangeOnlyTheirOwnEntries() throws Exception {
        String owner = ownerToken(PRAXIS_A);
        String[] auth = {"Authorization", "Bearer " + owner};

        Endpoint endpoint = timEndpoint().setAddress("@neu-" + UUID.randomUUID() + ":praxis-a.tim.local")
                .setManagingOrganization(new Reference("Organization/praxis-a"));
        SimulatorHttp.Response created = http.send("POST", "/owner/Endpoint", "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(endpoint), auth);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String endpointId = created.json().get("id").asText();

        HealthcareService service = new HealthcareService().setName("Praxis A - Neu").setProvidedBy(new Reference("Organization/praxis-a"));
        service.addEndpoint(new Reference("Endpoint/" + endpointId));
        SimulatorHttp.Response createdService = http.send("POST", "/owner/HealthcareService", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(service), auth);
        assertThat(createdService.status()).isEqualTo(201);
        assertThat(ids(search("HealthcareService?endpoint=" + endpointId), Bundle.SearchEntryMode.MATCH)).hasSize(1);

        // foreign: Klinik B's service, endpoint and organisation
        SimulatorHttp.Response foreign = http.send("GET", "/owner/HealthcareService/klinik-b-aufnahme", null, null, auth);
        HealthcareService klinik = FHIR.newJsonParser().parseResource(HealthcareService.class, foreign.body());
        klinik.setName("hijacked");
        assertThat(http.send("PUT", "/owner/HealthcareService/klinik-b-aufnahme", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(klinik), auth).status()).isEqualTo(403);
        assertThat(http.send("DELETE", "/owner/Endpoint/klinik-b-aufnahme-team", null, null, auth).status()).isEqualTo(403);
        HealthcareService pointingAtForeign = new HealthcareService().setName("x").setProvidedBy(new Reference("Organization/praxis-a"));
        pointingAtForeign.addEndpoint(new Reference("Endpoint/klinik-b-aufnahme-team"));
        assertThat(http.send("POST", "/owner/HealthcareService", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(pointingAtForeign), auth).status()).isEqualTo(403);
        assertThat(http.send("POST", "/owner/Organization", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(new Organization().setName("new")), auth).status()).isEqualTo(403);

        // own organisation: may be updated, but not (de)activated
        Organization own = FHIR.newJsonParser().parseResource(Organization.class, http.send("GET", "/owner/Organization/praxis-a", null, null, auth).body());
        own.setActive(false);
        assertThat(http.send("PUT", "/owner/Organization/praxis-a", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(own), auth).status()).isEqualTo(403);

        assertThat(http.send("DELETE", "/owner/HealthcareService/" + createdService.json().get("id").asText(), null, null, auth).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/owner/Endpoint/" + endpointId, null, null, auth).status()).isEqualTo(204);
        assertThat(http.send("POST", "/owner/Endpoint", "application/fhir+json", "{\"resourceType\":\"Patient\"}", auth).status()).isEqualTo(400);
        SimulatorHttp.Response nonConforming = http.send("POST", "/owner/Endpoint", "application/fhir+json",
                "{\"resourceType\":\"Endpoint\",\"status\":\"active\",\"address\":\"@x:praxis-a.tim.local\",\"managingOrganization\":{\"reference\":\"Organization/praxis-a\"}}", auth);
        assertThat(nonConforming.status()).isEqualTo(400);
        assertThat(nonConforming.json().at("/issue/0/diagnostics").asText()).contains("VZD profile");
        assertThat(http.send("POST", "/owner/Endpoint", "application/fhir+json", "{garbage", auth).status()).isEqualTo(400);
    }

    @Test
    void endpointsHiddenFromInsuredPersonsAreNotShownToUsersOfInsuranceDomains() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String kasse = "tid-kasse-" + id;
        assertThat(http.postJson("/control/seed", """
                {"organizations":[{"id":"kasse-%s","telematikId":"%s","name":"Kasse","professionOid":"1.2.276.0.76.4.59"}]}
                """.formatted(id, kasse)).status()).isEqualTo(200);
        String provider = http.providerToken();
        SimulatorHttp.Response added = http.postJson("/tim-provider-services/federation",
                "{\"domain\":\"" + de.tim.simulators.FakeHomeserver.INSURANCE_SERVER_NAME + "\",\"telematikID\":\"" + kasse + "\",\"isInsurance\":true}",
                "Authorization", "Bearer " + provider);
        assertThat(added.status()).isIn(200, 409);

        Endpoint hidden = timEndpoint().setAddress("@intern-" + id + ":praxis-a.tim.local")
                .setManagingOrganization(new Reference("Organization/praxis-a"));
        hidden.addExtension(EndpointVisibility.EXTENSION_URL, new org.hl7.fhir.r4.model.Coding(
                "https://gematik.de/fhir/directory/CodeSystem/EndpointVisibilityCS", EndpointVisibility.HIDE_VERSICHERTE, null));
        SimulatorHttp.Response created = http.send("POST", "/owner/Endpoint", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(hidden), "Authorization", "Bearer " + ownerToken(PRAXIS_A));
        assertThat(created.status()).isEqualTo(201);
        String endpointId = created.json().get("id").asText();

        assertThat(search("Endpoint?_id=" + endpointId).getTotal()).isEqualTo(1);
        String insured = searchToken(de.tim.simulators.FakeHomeserver.INSURANCE_SERVER_NAME);
        SimulatorHttp.Response asInsured = http.get("/search/Endpoint?_id=" + endpointId, "Authorization", "Bearer " + insured);
        assertThat(asInsured.json().get("total").asInt()).isZero();
        assertThat(http.get("/search/Endpoint/" + endpointId, "Authorization", "Bearer " + insured).status()).isEqualTo(404);
        assertThat(http.get("/search/Endpoint/praxis-a-empfang", "Authorization", "Bearer " + insured).status()).isEqualTo(200);
    }

    @Test
    void practitionersMaintainTheirOwnRoleOnly() {
        // a practitioner of its own, so that the seeded ones stay untouched for other tests
        String id = UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.postJson("/control/seed", """
                {"practitioners":[{"id":"p-%1$s","telematikId":"hba-%1$s","givenName":"P","familyName":"Test","professionOid":"1.2.276.0.76.4.30",
                  "organizationId":"praxis-a","hbaIdentity":"hba-%1$s"}]}
                """.formatted(id)).status()).isEqualTo(200);
        java.net.URI idp = java.net.URI.create(http.get("/owner-authenticate?login_hint=hba-" + id).header("Location"));
        java.net.URI back = java.net.URI.create(http.get(idp.getRawPath() + "?" + idp.getRawQuery()).header("Location"));
        String[] auth = {"Authorization", "Bearer " + http.get(back.getRawPath() + "?" + back.getRawQuery()).json().get("access_token").asText()};

        Endpoint endpoint = timEndpoint().setAddress("@anna-" + UUID.randomUUID() + ":praxis-a.tim.local");
        SimulatorHttp.Response created = http.send("POST", "/owner/Endpoint", "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(endpoint), auth);
        assertThat(created.status()).isEqualTo(201);

        org.hl7.fhir.r4.model.PractitionerRole role = FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.PractitionerRole.class,
                http.send("GET", "/owner/PractitionerRole/p-" + id + "-role", null, null, auth).body());
        role.addEndpoint(new Reference("Endpoint/" + created.json().get("id").asText()));
        SimulatorHttp.Response updated = http.send("PUT", "/owner/PractitionerRole/p-" + id + "-role", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(role), auth);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);

        org.hl7.fhir.r4.model.PractitionerRole other = FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.PractitionerRole.class,
                http.send("GET", "/owner/PractitionerRole/ben-weber-role", null, null, auth).body());
        assertThat(http.send("PUT", "/owner/PractitionerRole/ben-weber-role", "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(other), auth).status()).isEqualTo(403);
        assertThat(http.send("DELETE", "/owner/HealthcareService/praxis-a-tim", null, null, auth).status()).isEqualTo(403);
    }

    @Test
    void mxidAddressesMatchInEveryNotationAndKimAddressesAreEndpointsOfTheirOrganization() {
        assertThat(ids(search("Endpoint?address=matrix:u/kardiologie:klinik-b.tim.local"), Bundle.SearchEntryMode.MATCH))
                .containsExactly("Endpoint/klinik-b-kardiologie-station");
        Bundle kim = search("Endpoint?address=mailto:praxis-a@kim.tim.local&connection-type=kim-2.0&_include=Endpoint:organization");
        assertThat(ids(kim, Bundle.SearchEntryMode.MATCH)).containsExactly("Endpoint/praxis-a-kim");
        assertThat(ids(kim, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Organization/praxis-a");
    }

    @Test
    void ownerEndpointsNeedAnOwnerToken() {
        assertThat(http.send("DELETE", "/owner/Endpoint/praxis-a-empfang", null, null, "Authorization", "Bearer " + search).status())
                .isEqualTo(401);
        assertThat(http.send("DELETE", "/owner/Endpoint/praxis-a-empfang", null, null).status()).isEqualTo(401);
    }

    private static Endpoint timEndpoint() {
        Endpoint endpoint = new Endpoint().setStatus(Endpoint.EndpointStatus.ACTIVE).setName("Test Endpoint")
                .setConnectionType(new org.hl7.fhir.r4.model.Coding(de.tim.simulators.seed.FhirResources.CONNECTION_TYPE, "tim", null));
        endpoint.addPayloadType().addCoding(new org.hl7.fhir.r4.model.Coding(de.tim.simulators.seed.FhirResources.PAYLOAD_TYPE, "tim-chat", null));
        return endpoint;
    }

    private String ownerToken(String telematikId) {
        var now = java.time.Instant.now();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://regservice.tim.local")
                .audience(http.base() + "/owner-authenticate").claim("idNummer", telematikId)
                .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(300))).build();
        String regServiceToken = TiJws.signJwt(pki.signer(SignerRole.REGSERVICE), claims).serialize();
        SimulatorHttp.Response response = http.get("/owner-authenticate", "Authorization", "Bearer " + regServiceToken);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }
}
