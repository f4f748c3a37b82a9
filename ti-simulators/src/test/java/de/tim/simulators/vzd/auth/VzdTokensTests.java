package de.tim.simulators.vzd.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJws;
import de.tim.simulators.SimulatorsDataDir;
import de.tim.simulators.SimulatorsProperties;
import de.tim.simulators.pki.PkiProperties;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.pki.TestPkiConfiguration;
import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;

class VzdTokensTests {

    private static final String BASE = "https://vzd.tim.local";

    @TempDir
    static Path dir;
    static TestPki pki;
    static VzdTokens tokens;

    @BeforeAll
    static void setUp() {
        SimulatorsProperties simulators = new SimulatorsProperties(dir, "changeit", "");
        pki = new TestPkiConfiguration().testPki(new SimulatorsDataDir(simulators), simulators,
                new PkiProperties(Duration.ofDays(10), Duration.ofDays(5), "9-x", de.tim.crypto.x509.TiAdmission.OID_TIM));
        VzdProperties properties = new VzdProperties(BASE, List.of(), Duration.ofMinutes(5), Duration.ofHours(1), "BP256R1",
                Duration.ofHours(1), Map.of(), null, List.of(), null, "vzd-fhir-directory", true);
        tokens = new VzdTokens(pki, new VzdBaseUrl(properties));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void acceptsItsOwnTokenOfTheRightKind() {
        String token = tokens.issue(TokenKind.SEARCH, "@a:praxis-a.tim.local", Duration.ofMinutes(1), Map.of()).token();
        JWTClaimsSet claims = tokens.require(TokenKind.SEARCH, bearer(token));
        assertThat(claims.getIssuer()).isEqualTo(BASE + "/tim-authenticate");
        assertThat(claims.getAudience()).containsExactly(BASE + "/search");
    }

    @Test
    void rejectsExpiredWrongKindForeignAndMissingTokens() {
        String expired = tokens.issue(TokenKind.SEARCH, "@a:b", Duration.ofSeconds(-1), Map.of()).token();
        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, bearer(expired))).hasMessageContaining("expired");

        String owner = tokens.issue(TokenKind.OWNER, "1-x", Duration.ofMinutes(1), Map.of()).token();
        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, bearer(owner))).hasMessageContaining("wrong audience");

        // same claims, same root, but signed by another test-PKI signer (the IDP's P-256 key)
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(BASE + "/tim-authenticate").audience(BASE + "/search")
                .subject("@a:b").expirationTime(Date.from(Instant.now().plusSeconds(60))).build();
        String foreign = TiJws.signJwt(pki.signer(SignerRole.IDP_P256), claims).serialize();
        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, bearer(foreign))).hasMessageContaining("not issued by this directory");

        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, null)).isInstanceOf(VzdException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, "Basic abc")).hasMessageContaining("Bearer");
        assertThatThrownBy(() -> tokens.require(TokenKind.SEARCH, "Bearer x.y.z")).hasMessageContaining("invalid access token");
    }
}
