package de.tim.simulators.idp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.simulators.SimulatorsDataDir;
import de.tim.simulators.SimulatorsProperties;
import de.tim.simulators.pki.PkiProperties;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.pki.TestPkiConfiguration;

class IdpSignerTests {

    @Test
    void signsWithTheConfiguredAlgorithm(@TempDir Path dir) throws Exception {
        SimulatorsProperties simulators = new SimulatorsProperties(dir, "changeit", "");
        TestPki pki = new TestPkiConfiguration().testPki(new SimulatorsDataDir(simulators), simulators,
                new PkiProperties(Duration.ofDays(10), Duration.ofDays(5), "9-x", de.tim.crypto.x509.TiAdmission.OID_TIM));
        X5cJwsVerifier verifier = new X5cJwsVerifier(pki.chainValidator(), Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("s").claim("idNummer", "1-x").build();
        for (String algorithm : List.of("ES256", "BP256R1")) {
            IdpSigner signer = new IdpSigner(pki, new IdpProperties(null, algorithm, Duration.ofMinutes(5), Duration.ofSeconds(60), List.of(), List.of()));
            var verified = verifier.verify(signer.sign(claims));
            assertThat(verified.jws().getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
            assertThat(verified.claims().getStringClaim("idNummer")).isEqualTo("1-x");
        }
    }
}
