package de.tim.routes.intern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;
import de.tim.routes.federationlist.FederationListService;

class InternVerificationIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    @Autowired
    FederationListService federationList;

    private long versionOf(String jws) throws Exception {
        VerifiedJws verified = new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(Simulators.shared().rootsPem())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null).verify(jws);
        return ((Number) verified.claims().getClaim("version")).longValue();
    }

    @Test
    void proxyGetsTheVerifiedListUnchangedAndNothingWhenItIsNotNewer() throws Exception {
        HttpResponse<String> first = get("/internal/v1/federation-list", GATEWAY_TOKEN);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/jose"));
        long version = versionOf(first.body());

        HttpResponse<String> same = get("/internal/v1/federation-list?version=" + version, GATEWAY_TOKEN);
        assertThat(same.statusCode()).isEqualTo(204);
        HttpResponse<String> older = get("/internal/v1/federation-list?version=" + (version - 1), GATEWAY_TOKEN);
        assertThat(older.statusCode()).isEqualTo(200);
    }

    @Test
    void aDomainAddedAtTheVzdIsServedOnTheNextProxyRequest() throws Exception {
        long before = versionOf(get("/internal/v1/federation-list", GATEWAY_TOKEN).body());
        Simulators.shared().addDomain("neu-" + System.nanoTime() + ".tim.local", "1-SMC-B-Testkarte-883110000147435");

        HttpResponse<String> newer = get("/internal/v1/federation-list?version=" + before, GATEWAY_TOKEN);

        assertThat(newer.statusCode()).isEqualTo(200);
        assertThat(versionOf(newer.body())).isGreaterThan(before);
        assertThat(federationList.history(100)).extracting(l -> l.version()).contains(before, versionOf(newer.body()));
    }

    @Test
    void theQuartzRouteRefreshesFromTheVzd() {
        NotifyBuilder refreshed = new NotifyBuilder(camel).fromRoute("federation-list-refresh").whenCompleted(1).create();
        assertThat(refreshed.matches(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> federationList.stored().isPresent());
    }

    @Test
    void vzdDownServesTheStoredList() throws Exception {
        long stored = versionOf(get("/internal/v1/federation-list", GATEWAY_TOKEN).body());
        Simulators.shared().fail("/tim-provider-services/FederationList", 503, 0);
        try {
            HttpResponse<String> response = get("/internal/v1/federation-list", GATEWAY_TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(versionOf(response.body())).isEqualTo(stored);
        } finally {
            Simulators.shared().clearFault("/tim-provider-services/FederationList");
        }
    }

    @Test
    void missingOrUnknownTokensAreRefused() {
        assertThat(get("/internal/v1/federation-list", null).statusCode()).isEqualTo(401);
        assertThat(get("/internal/v1/federation-list", "not-a-gateway-token-0123456789abcdef").statusCode()).isEqualTo(401);
        assertThat(get("/internal/v1/invite-permission?inviter=@a:x.de&invitee=@b:y.de", null).statusCode()).isEqualTo(401);
        HttpResponse<String> refused = get("/internal/v1/federation-list", GATEWAY_TOKEN + "x");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("errorCode").doesNotContain(GATEWAY_TOKEN);
    }

    @Test
    void pathTricksDoNotBypassTheToken() {
        for (String path : List.of("//internal/v1/federation-list", "/internal/v1/../v1/federation-list",
                "/internal/v1/federation-list;x=y", "/%69nternal/v1/federation-list", "/INTERNAL/v1/federation-list")) {
            assertThat(get(path, null).statusCode()).as(path).isIn(400, 401, 404);
            assertThat(get(path, null).statusCode()).as(path).isNotEqualTo(200);
        }
    }

    @Test
    void badVersionIsA400() {
        HttpResponse<String> response = get("/internal/v1/federation-list?version=abc", GATEWAY_TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("errorCode");
    }

    @Test
    void inviteIntoTheOrganisationDirectoryIsAllowed() throws Exception {
        HttpResponse<String> response = get("/internal/v1/invite-permission?inviter=%40someone%3Aelsewhere.de&invitee=%40empfang%3Apraxis-a.tim.local", GATEWAY_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("allowed").asBoolean()).isTrue();
    }

    @Test
    void practitionerToPractitionerIsAllowedOthersToAPractitionerAreNot() throws Exception {
        HttpResponse<String> both = get("/internal/v1/invite-permission?inviter=%40ben.weber%3Aklinik-b.tim.local&invitee=%40anna.schmidt%3Apraxis-a.tim.local", GATEWAY_TOKEN);
        assertThat(JSON.readTree(both.body()).get("allowed").asBoolean()).isTrue();
        HttpResponse<String> unlisted = get("/internal/v1/invite-permission?inviter=%40nobody%3Aelsewhere.de&invitee=%40anna.schmidt%3Apraxis-a.tim.local", GATEWAY_TOKEN);
        assertThat(JSON.readTree(unlisted.body()).get("allowed").asBoolean()).isFalse();
        HttpResponse<String> unknownInvitee = get("/internal/v1/invite-permission?inviter=%40ben.weber%3Aklinik-b.tim.local&invitee=%40ghost%3Apraxis-a.tim.local", GATEWAY_TOKEN);
        assertThat(JSON.readTree(unknownInvitee.body()).get("allowed").asBoolean()).isFalse();
    }

    @Test
    void anExpiredProviderTokenIsRenewedAndTheCallRepeated() throws Exception {
        Simulators.shared().fail("/tim-provider-services/localization", 401, 1);
        HttpResponse<String> response = get("/internal/v1/invite-permission?inviter=%40x%3Aa.de&invitee=%40kardiologie%3Aklinik-b.tim.local", GATEWAY_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("allowed").asBoolean()).isTrue();
    }

    @Test
    void vzdDownRefusesStageThreeWithA503() {
        Simulators.shared().fail("/tim-provider-services/localization", 503, 0);
        try {
            HttpResponse<String> response = get("/internal/v1/invite-permission?inviter=%40x%3Aa.de&invitee=%40down" + System.nanoTime() + "%3Ab.de", GATEWAY_TOKEN);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("VZD_UNAVAILABLE");
        } finally {
            Simulators.shared().clearFault("/tim-provider-services/localization");
        }
    }

    @Test
    void malformedMxidsAreA400() {
        HttpResponse<String> response = get("/internal/v1/invite-permission?inviter=alice&invitee=%40b%3Ay.de", GATEWAY_TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(get("/internal/v1/invite-permission?invitee=%40b%3Ay.de", GATEWAY_TOKEN).statusCode()).isEqualTo(400);
    }
}
