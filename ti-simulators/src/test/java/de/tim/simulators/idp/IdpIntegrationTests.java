package de.tim.simulators.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;
import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;
import de.tim.simulators.pki.TestPki;

class IdpIntegrationTests extends SimulatorIntegrationTestBase {

    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-longer-than-43-characters";
    private static final String REDIRECT = "https://regservice.tim.local/callback";

    @Autowired
    TestPki pki;

    @Test
    void discoveryAndJwks() {
        JsonNode discovery = http.get("/idp/.well-known/openid-configuration").json();
        assertThat(discovery.get("issuer").asText()).isEqualTo(http.base() + "/idp");
        assertThat(discovery.get("code_challenge_methods_supported").get(0).asText()).isEqualTo("S256");
        JsonNode jwks = http.get("/idp/jwks").json();
        assertThat(jwks.get("keys").findValuesAsText("crv")).containsExactlyInAnyOrder("BP-256", "P-256");
    }

    @Test
    void smcbLoginYieldsABp256r1IdTokenVerifiableWithTheJwksKey() throws Exception {
        String code = authorize("smcb-praxis-a", challenge(VERIFIER));
        SimulatorHttp.Response token = redeem(code, VERIFIER);
        assertThat(token.status()).isEqualTo(200);
        String idToken = token.json().get("id_token").asText();
        SignedJWT jwt = SignedJWT.parse(idToken);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(TiJwsAlgorithms.BP256R1);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("idNummer")).isEqualTo("1-SMC-B-Testkarte-883110000147435");
        assertThat(claims.getStringClaim("professionOID")).isEqualTo("1.2.276.0.76.4.50");
        assertThat(claims.getStringClaim("organizationName")).startsWith("Praxis A");
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-1");
        assertThat(claims.getAudience()).containsExactly("tim-registration-service");

        // independent check: raw BouncyCastle ECDSA with the JWKS coordinates
        JsonNode key = http.get("/idp/jwks").json().get("keys").findParents("crv").stream()
                .filter(k -> k.get("crv").asText().equals("BP-256")).findFirst().orElseThrow();
        X9ECParameters curve = ECNamedCurveTable.getByName("brainpoolP256r1");
        var point = curve.getCurve().createPoint(new BigInteger(1, Base64.getUrlDecoder().decode(key.get("x").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(key.get("y").asText())));
        ECDSASigner ecdsa = new ECDSASigner();
        ecdsa.init(false, new ECPublicKeyParameters(point, new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH())));
        String[] parts = idToken.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(ecdsa.verifySignature(hash, new BigInteger(1, Arrays.copyOf(signature, 32)),
                new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)))).isTrue();

        X5cJwsVerifier x5c = new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(pki.rootsPem())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
        assertThat(x5c.verify(idToken).signer()).isNotNull();
    }

    @Test
    void hbaIdentityCarriesNamesAndPractitionerProfessionOid() throws Exception {
        String code = authorize("hba-ben-weber", challenge(VERIFIER));
        JWTClaimsSet claims = SignedJWT.parse(redeem(code, VERIFIER).json().get("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("professionOID")).isEqualTo("1.2.276.0.76.4.30");
        assertThat(claims.getStringClaim("given_name")).isEqualTo("Ben");
        assertThat(claims.getStringClaim("family_name")).isEqualTo("Weber");
    }

    @Test
    void pkceMismatchReusedCodeAndBadRequestsFail() {
        String code = authorize("smcb-klinik-b", challenge(VERIFIER));
        SimulatorHttp.Response wrongVerifier = redeem(code, VERIFIER + "x");
        assertThat(wrongVerifier.status()).isEqualTo(400);
        assertThat(wrongVerifier.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(redeem(code, VERIFIER).status()).as("codes are single use").isEqualTo(400);

        assertThat(http.get("/idp/authorize?response_type=code&client_id=unknown&redirect_uri=" + REDIRECT).status()).isEqualTo(400);
        SimulatorHttp.Response noPkce = http.get("/idp/authorize?response_type=code&scope=openid&client_id=tim-registration-service&state=s&redirect_uri=" + REDIRECT + "&login_hint=smcb-klinik-b");
        assertThat(noPkce.header("Location")).contains("error=invalid_request").contains("state=s");
    }

    private String authorize(String identity, String challenge) {
        SimulatorHttp.Response response = http.get("/idp/authorize?response_type=code&scope=openid&client_id=tim-registration-service"
                + "&redirect_uri=" + REDIRECT + "&state=st&nonce=n-1&code_challenge=" + challenge
                + "&code_challenge_method=S256&login_hint=" + identity);
        assertThat(response.status()).isEqualTo(302);
        String query = URI.create(response.header("Location")).getQuery();
        assertThat(query).contains("state=st");
        return Arrays.stream(query.split("&")).filter(p -> p.startsWith("code=")).findFirst().orElseThrow().substring(5);
    }

    private SimulatorHttp.Response redeem(String code, String verifier) {
        return http.postForm("/idp/token", Map.of("grant_type", "authorization_code", "code", code,
                "client_id", "tim-registration-service", "redirect_uri", REDIRECT, "code_verifier", verifier));
    }

    private static String challenge(String verifier) {
        return IdpController.s256(verifier);
    }
}
