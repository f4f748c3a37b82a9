package de.tim.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import de.tim.gateway.TestFederationList;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.TiAdmission;
import de.tim.matrix.id.ServerName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The federation list is used only when signed by the TI PKI, valid now and newer; failures keep the last good list. */
class FederationListServiceTests {

    static final String VZD_ROLE = TestFederationList.SIGNER_ROLE;
    static final IssuedCertificate CA = TestFederationList.CA;
    static final IssuedCertificate SIGNER_BP = TestFederationList.SIGNER_BP;
    static final IssuedCertificate SIGNER_ES = TestFederationList.SIGNER_ES;
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    TestFederationList registration;
    MutableClock clock = new MutableClock(NOW);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    FederationListService service;

    @BeforeEach
    void start() {
        registration = new TestFederationList();
        service = newService(registration.uri());
    }

    @AfterEach
    void stop() {
        registration.stop();
    }

    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void aValidListIsUsedWithBothAlgorithms(EcCurve curve) {
        registration.serve(TestFederationList.list(curve == EcCurve.P256 ? SIGNER_ES : SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)),
                "praxis-a.tim.local", "klinik-b.tim.local"));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).isTrue();
        assertThat(service.isFederated(ServerName.parse("klinik-b.tim.local"))).isTrue();
        assertThat(service.isFederated(ServerName.parse("evil.example"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRAXIS-A.tim.local", "praxis-a.tim.local.", "praxis-a.tim.local:8448", "praxis-a.tim.local:443"})
    void spellingsOfAListedDomainAreNotFederated(String spelling) {
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse(spelling))).isFalse();
    }

    @Test
    void aForgedSignatureIsRejectedAndTheLastGoodListKept() {
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        String genuine = TestFederationList.list(SIGNER_BP, 2, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "evil.example");
        String[] parts = genuine.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("evil.example", "evil.exampl2").getBytes(StandardCharsets.UTF_8));
        registration.serve(parts[0] + "." + forgedPayload + "." + parts[2]);
        service.refresh();
        assertThat(service.current()).get().extracting(FederationList::version).isEqualTo(1L);
        assertThat(meters.counter("tim.gateway.federation.list.refresh.failures").count()).isEqualTo(1);
    }

    @Test
    void aChainToAnotherRootIsRejected() {
        IssuedCertificate otherRoot = CertificateIssuer.selfSignedRoot("CN=Test TI Root", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10));
        IssuedCertificate otherCa = CertificateIssuer.intermediate(otherRoot, "CN=Test Komp-CA", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10));
        registration.serve(TestFederationList.list(TestFederationList.signer(otherCa, EcCurve.BRAINPOOL_P256R1, VZD_ROLE), 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).isEmpty();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).as("fail closed").isFalse();
    }

    @Test
    void aSignerWithoutTheRequiredRoleIsRejected() {
        registration.serve(TestFederationList.list(TestFederationList.signer(CA, EcCurve.BRAINPOOL_P256R1, TiAdmission.OID_TIM), 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).isEmpty();
    }

    @Test
    void expiredAndNotYetValidListsAreRejected() {
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.minus(Duration.ofDays(31)), NOW.minusSeconds(1), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).as("expired").isEmpty();
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.plusSeconds(60), NOW.plus(Duration.ofDays(30)), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).as("not yet valid").isEmpty();
    }

    @Test
    void versionsNeverGoBackwardsAndTheKnownVersionIsSent() {
        registration.serve(TestFederationList.list(SIGNER_BP, 5, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        registration.serve(TestFederationList.list(SIGNER_BP, 4, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "older.example"));
        service.refresh();
        assertThat(registration.lastQuery()).isEqualTo("version=5");
        assertThat(service.current()).get().extracting(FederationList::version).isEqualTo(5L);
        assertThat(service.isFederated(ServerName.parse("older.example"))).isFalse();
    }

    @Test
    void anUnreachableSourceKeepsTheLastGoodListEvenPastItsExpiry() {
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        registration.stop();
        clock.advance(Duration.ofHours(2));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).isTrue();
        assertThat(meters.get("tim.gateway.federation.list.expired").gauge().value()).isEqualTo(1.0);
        assertThat(meters.counter("tim.gateway.federation.list.refresh.failures").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnknownDomainTriggersOneRateLimitedRefetch() {
        registration.serve(TestFederationList.list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        registration.serve(TestFederationList.list(SIGNER_BP, 2, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "neu.tim.local"));
        int before = registration.requests();
        assertThat(service.isFederated(ServerName.parse("neu.tim.local"))).as("found after refetch").isTrue();
        assertThat(service.isFederated(ServerName.parse("unknown.tim.local"))).isFalse();
        assertThat(registration.requests() - before).as("second miss within the interval does not fetch again").isEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        assertThat(service.isFederated(ServerName.parse("unknown.tim.local"))).isFalse();
        assertThat(registration.requests() - before).isEqualTo(2);
    }

    @Test
    void withoutASourceNothingIsFederated() {
        FederationListService unconfigured = newService(null);
        unconfigured.refresh();
        assertThat(unconfigured.isFederated(ServerName.parse("praxis-a.tim.local"))).isFalse();
    }

    private FederationListService newService(URI source) {
        Path anchors = TestFederationList.writeTrustAnchor(dir.resolve("ti-roots.pem"));
        FederationListProperties properties = new FederationListProperties(source, TestFederationList.ACCESS_TOKEN, List.of(anchors), null,
                VZD_ROLE, null, Duration.ofSeconds(10), null, null);
        var trust = new FederationListConfiguration.TrustAnchors(properties);
        return new FederationListService(new FederationListFetcher(HttpClient.newHttpClient(), properties), trust::verifier,
                properties.missRefetchInterval(), clock, meters);
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
