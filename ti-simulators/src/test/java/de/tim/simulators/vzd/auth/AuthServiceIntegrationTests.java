package de.tim.simulators.vzd.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import de.tim.crypto.jws.TiJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.Certificates;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.crypto.x509.TiAdmission;
import de.tim.simulators.FakeHomeserver;
import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;
import de.tim.simulators.pki.PkiFiles;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;

class AuthServiceIntegrationTests extends SimulatorIntegrationTestBase {

    private static final String PRAXIS_A = "1-SMC-B-Testkarte-883110000147435";

    @Autowired
    TestPki pki;

    @Test
    void oauthRejectsUnknownClientsWrongSecretsAndGrants() {
        SimulatorHttp.Response unknown = http.postForm("/token", Map.of("grant_type", "client_credentials"),
                "Authorization", SimulatorHttp.basic("nobody", "x"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(http.postForm("/token", Map.of("grant_type", "client_credentials"),
                "Authorization", SimulatorHttp.basic(SimulatorHttp.CLIENT_ID, "wrong")).status()).isEqualTo(401);
        SimulatorHttp.Response grant = http.postForm("/token", Map.of("grant_type", "password"),
                "Authorization", SimulatorHttp.basic(SimulatorHttp.CLIENT_ID, SimulatorHttp.CLIENT_SECRET));
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.json().get("error").asText()).isEqualTo("unsupported_grant_type");
        SimulatorHttp.Response form = http.postForm("/auth/realms/TI-Provider/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", SimulatorHttp.CLIENT_ID, "client_secret", SimulatorHttp.CLIENT_SECRET));
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.json().get("token_type").asText()).isEqualTo("bearer");
    }

    @Test
    void tokensAreEs256WithX5cThatValidatesToTheExportedRoot() throws Exception {
        String token = http.providerToken();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        X5cJwsVerifier verifier = new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(pki.rootsPem())),
                Set.of(JWSAlgorithm.ES256), null);
        JWTClaimsSet claims = verifier.verify(token).claims();
        assertThat(claims.getAudience()).containsExactly(http.base() + "/tim-provider-services");
        assertThat(claims.getSubject()).isEqualTo(SimulatorHttp.CLIENT_ID);
    }

    @Test
    void timAuthenticateVerifiesTheOpenIdTokenAtTheHomeserver() throws Exception {
        String token = searchToken();
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("@tester:" + FakeHomeserver.SERVER_NAME);
        assertThat(claims.getAudience()).containsExactly(http.base() + "/search");

        SimulatorHttp.Response unknownToken = http.get("/tim-authenticate?mxId=" + FakeHomeserver.SERVER_NAME,
                "X-Matrix-OpenID-Token", "not-issued");
        assertThat(unknownToken.status()).isEqualTo(401);
        assertThat(unknownToken.json().get("message").asText()).isNotBlank();

        String foreignUser = FakeHomeserver.shared().openIdToken("@mallory:evil.example");
        assertThat(http.get("/tim-authenticate?mxId=" + FakeHomeserver.SERVER_NAME, "X-Matrix-OpenID-Token", foreignUser).status())
                .isEqualTo(401);
        assertThat(http.get("/tim-authenticate?mxId=" + FakeHomeserver.SERVER_NAME).status()).isEqualTo(401);
        String again = FakeHomeserver.shared().openIdToken("@tester:" + FakeHomeserver.SERVER_NAME);
        assertThat(http.get("/tim-authenticate?mxId=@tester:" + FakeHomeserver.SERVER_NAME, "X-Matrix-OpenID-Token", again).status())
                .as("a full MXID is accepted as mxId").isEqualTo(200);
        assertThat(http.get("/tim-authenticate", "X-Matrix-OpenID-Token", "x").status()).isEqualTo(400);
    }

    @Test
    void timAuthenticateRequiresTheDomainOnTheFederationList() {
        String token = FakeHomeserver.shared().openIdToken("@tester:not-federated.tim.local");
        SimulatorHttp.Response response = http.get("/tim-authenticate?mxId=not-federated.tim.local", "X-Matrix-OpenID-Token", token);
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("message").asText()).contains("federation list");
    }

    @Test
    void ownerAuthenticateAcceptsARegServiceOpenIdToken() throws Exception {
        IssuedCertificate signer = KeyStores.readKeyStore(pki.directory().resolve(PkiFiles.REGSERVICE_SIGNER_P12), "changeit".toCharArray());
        SimulatorHttp.Response response = ownerAuthenticate(regServiceToken(signer, PRAXIS_A, http.base() + "/owner-authenticate", Duration.ofMinutes(5)));
        assertThat(response.status()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(response.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(PRAXIS_A);
        assertThat(claims.getStringClaim("ownerType")).isEqualTo("organization");
        assertThat(claims.getAudience()).containsExactly(http.base() + "/owner");
    }

    @Test
    void ownerAuthenticateRejectsBadRegServiceTokens() {
        IssuedCertificate signer = pki.signer(SignerRole.REGSERVICE);
        String audience = http.base() + "/owner-authenticate";
        assertRejected(regServiceToken(signer, PRAXIS_A, audience, Duration.ofMinutes(-1)), 401, "expired");
        assertRejected(regServiceToken(signer, PRAXIS_A, http.base() + "/owner", Duration.ofMinutes(5)), 401, "audience");
        assertRejected(regServiceToken(signer, "9-unknown-telematik-id", audience, Duration.ofMinutes(5)), 403, "telematikID");
        // signed by a test-PKI certificate without the oid_tim role
        assertRejected(regServiceToken(pki.signer(SignerRole.IDP_BP256), PRAXIS_A, audience, Duration.ofMinutes(5)), 401, "role");
        // a C.FD.SIG-like certificate with the role, chained to the TI root, but not registered
        IssuedCertificate unregistered = CertificateIssuer.signer(pki.roots().get(EcCurve.BRAINPOOL_P256R1), "CN=other regservice",
                EcCurve.BRAINPOOL_P256R1, Duration.ofDays(1), List.of(TiAdmission.extension("TI-Messenger", TiAdmission.OID_TIM)));
        assertRejected(regServiceToken(unregistered, PRAXIS_A, audience, Duration.ofMinutes(5)), 401, "not registered");
        // ES256 is not allowed for RegService-OpenID-Tokens
        IssuedCertificate p256 = CertificateIssuer.signer(pki.roots().get(EcCurve.P256), "CN=p256 regservice",
                EcCurve.P256, Duration.ofDays(1), List.of(TiAdmission.extension("TI-Messenger", TiAdmission.OID_TIM)));
        assertRejected(regServiceToken(p256, PRAXIS_A, audience, Duration.ofMinutes(5)), 401, "not allowed");
        String valid = regServiceToken(signer, PRAXIS_A, audience, Duration.ofMinutes(5));
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"idNummer\":\"" + PRAXIS_A + "\",\"aud\":\"" + audience + "\",\"iss\":\"x\",\"exp\":4102444800}").getBytes()) + "." + parts[2];
        assertRejected(tampered, 401, "signature");
        assertRejected("garbage", 401, "compact");
    }

    @Test
    void ownerLoginOfAnHbaHolderThroughTheIdp() throws Exception {
        SimulatorHttp.Response start = http.get("/owner-authenticate?login_hint=hba-anna-schmidt");
        assertThat(start.status()).isEqualTo(302);
        URI idp = URI.create(start.header("Location"));
        assertThat(idp.getPath()).isEqualTo("/idp/authorize");

        SimulatorHttp.Response authorized = http.get(idp.getRawPath() + "?" + idp.getRawQuery());
        assertThat(authorized.status()).isEqualTo(302);
        URI back = URI.create(authorized.header("Location"));
        assertThat(back.getPath()).isEqualTo("/signin-gematik-idp-dienst");
        assertThat(back.getQuery()).contains("code=");

        SimulatorHttp.Response signedIn = http.get(back.getRawPath() + "?" + back.getRawQuery());
        assertThat(signedIn.status()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(signedIn.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("1-HBA-Testkarte-883110000129068");
        assertThat(claims.getStringClaim("ownerType")).isEqualTo("practitioner");

        // the state and the code are single use
        assertThat(http.get(back.getRawPath() + "?" + back.getRawQuery()).status()).isEqualTo(400);
    }

    @Test
    void ownerLoginWithAnUnknownIdentityIsDenied() {
        URI idp = URI.create(http.get("/owner-authenticate?login_hint=nobody").header("Location"));
        URI back = URI.create(http.get(idp.getRawPath() + "?" + idp.getRawQuery()).header("Location"));
        assertThat(back.getQuery()).contains("error=access_denied");
        assertThat(http.get(back.getRawPath() + "?" + back.getRawQuery()).status()).isEqualTo(401);
    }

    private void assertRejected(String token, int status, String reason) {
        SimulatorHttp.Response response = ownerAuthenticate(token);
        assertThat(response.status()).as(reason).isEqualTo(status);
        assertThat(response.json().get("message").asText()).containsIgnoringCase(reason);
    }

    private SimulatorHttp.Response ownerAuthenticate(String token) {
        return http.get("/owner-authenticate", "Authorization", "Bearer " + token);
    }

    private static String regServiceToken(IssuedCertificate signer, String telematikId, String audience, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("org-admin-1")
                .issuer("https://regservice.tim.local/token")
                .audience(audience)
                .claim("professionOID", "1.2.276.0.76.4.50")
                .claim("idNummer", telematikId)
                .issueTime(Date.from(now.minusSeconds(10)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .build();
        return TiJws.signJwt(signer, claims).serialize();
    }
}
