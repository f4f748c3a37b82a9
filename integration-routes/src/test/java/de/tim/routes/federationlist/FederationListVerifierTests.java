package de.tim.routes.federationlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.x509.EcCurve;

class FederationListVerifierTests {

    @TempDir
    Path dir;

    @Test
    void acceptsBp256r1AndEs256ListsChainingToTheRoot() throws Exception {
        for (EcCurve curve : EcCurve.values()) {
            TestFederationLists lists = new TestFederationLists(dir, curve);
            FederationList list = new FederationListVerifier(TestFederationLists.properties(lists.rootsPem)).verify(lists.sign(7));
            assertThat(list.version()).isEqualTo(7);
            assertThat(list.domainCount()).isEqualTo(1);
        }
    }

    @Test
    void rejectsAnInvalidSignature() throws Exception {
        TestFederationLists lists = new TestFederationLists(dir, EcCurve.BRAINPOOL_P256R1);
        String jws = lists.sign(7);
        String[] parts = jws.split("\\.");
        String otherPayload = lists.sign(8).split("\\.")[1];
        String tampered = parts[0] + "." + otherPayload + "." + parts[2];
        FederationListVerifier verifier = new FederationListVerifier(TestFederationLists.properties(lists.rootsPem));
        assertThatThrownBy(() -> verifier.verify(tampered)).isInstanceOf(JwsVerificationException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void rejectsAChainToAnotherRoot() throws Exception {
        TestFederationLists trusted = new TestFederationLists(dir.resolve("a"), EcCurve.BRAINPOOL_P256R1);
        TestFederationLists foreign = new TestFederationLists(dir.resolve("b"), EcCurve.BRAINPOOL_P256R1);
        FederationListVerifier verifier = new FederationListVerifier(TestFederationLists.properties(trusted.rootsPem));
        assertThatThrownBy(() -> verifier.verify(foreign.sign(3))).isInstanceOf(JwsVerificationException.class)
                .hasMessageContaining("x5c chain");
    }

    @Test
    void rejectsExpiredAndFutureListsAndGarbage() throws Exception {
        TestFederationLists lists = new TestFederationLists(dir, EcCurve.P256);
        FederationListVerifier verifier = new FederationListVerifier(TestFederationLists.properties(lists.rootsPem));
        Instant now = Instant.now();
        assertThatThrownBy(() -> verifier.verify(lists.sign(1, now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)))))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> verifier.verify(lists.sign(1, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)))))
                .hasMessageContaining("future");
        assertThatThrownBy(() -> verifier.verify("not.a.jws")).isInstanceOf(JwsVerificationException.class);
    }

    @Test
    void rejectsAnAlgorithmThatIsNotConfigured() throws Exception {
        TestFederationLists lists = new TestFederationLists(dir, EcCurve.P256);
        FederationListProperties onlyBrainpool = new FederationListProperties(java.util.List.of(lists.rootsPem),
                java.util.Set.of("BP256R1"), null, Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertThatThrownBy(() -> new FederationListVerifier(onlyBrainpool).verify(lists.sign(1)))
                .hasMessageContaining("not allowed");
    }
}
