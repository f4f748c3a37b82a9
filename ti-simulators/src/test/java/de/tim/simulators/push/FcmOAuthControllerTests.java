package de.tim.simulators.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import de.tim.simulators.SimulatorsDataDir;
import de.tim.simulators.SimulatorsProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated Google OAuth endpoint issues tokens only for valid assertions of the simulated service account. */
class FcmOAuthControllerTests {

    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    @TempDir
    Path dir;

    @Test
    void validAssertionsGetATokenOthersAreRefused() throws Exception {
        FcmServiceAccount account = new FcmServiceAccount(new SimulatorsDataDir(new SimulatorsProperties(dir, "changeit", "")));
        FcmOAuthController oauth = new FcmOAuthController(account);
        PrivateKey key = serviceAccountKey(account.file());

        var ok = oauth.token(GRANT, assertion(key, FcmServiceAccount.CLIENT_EMAIL, FcmOAuthController.SCOPE, 3600));
        assertThat(ok.getStatusCode().value()).isEqualTo(200);
        String token = (String) ok.getBody().get("access_token");
        assertThat(oauth.issuedAndValid(token)).isTrue();
        assertThat(oauth.issuedAndValid("ya29.forged")).isFalse();

        PrivateKey other = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        assertThat(oauth.token(GRANT, assertion(other, FcmServiceAccount.CLIENT_EMAIL, FcmOAuthController.SCOPE, 3600))
                .getStatusCode().value()).as("foreign key").isEqualTo(400);
        assertThat(oauth.token(GRANT, assertion(key, "someone@else.iam.gserviceaccount.com", FcmOAuthController.SCOPE, 3600))
                .getStatusCode().value()).as("other issuer").isEqualTo(400);
        assertThat(oauth.token(GRANT, assertion(key, FcmServiceAccount.CLIENT_EMAIL, "https://www.googleapis.com/auth/drive", 3600))
                .getStatusCode().value()).as("other scope").isEqualTo(400);
        assertThat(oauth.token(GRANT, assertion(key, FcmServiceAccount.CLIENT_EMAIL, FcmOAuthController.SCOPE, -60))
                .getStatusCode().value()).as("expired").isEqualTo(400);
        assertThat(oauth.token("client_credentials", "x").getStatusCode().value()).isEqualTo(400);
        assertThat(oauth.token(GRANT, "garbage").getBody()).containsEntry("error", "invalid_grant");
    }

    @Test
    void theServiceAccountSurvivesARestart() {
        SimulatorsProperties properties = new SimulatorsProperties(dir, "changeit", "");
        FcmServiceAccount first = new FcmServiceAccount(new SimulatorsDataDir(properties));
        FcmServiceAccount second = new FcmServiceAccount(new SimulatorsDataDir(properties));
        assertThat(second.publicKey()).isEqualTo(first.publicKey());
    }

    private static PrivateKey serviceAccountKey(Path file) throws Exception {
        String pem = new ObjectMapper().readTree(Files.readString(file)).get("private_key").asText()
                .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    private static String assertion(PrivateKey key, String issuer, String scope, long lifetimeSeconds) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer(issuer).subject(issuer).audience("https://oauth2.googleapis.com/token").claim("scope", scope)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(lifetimeSeconds))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
