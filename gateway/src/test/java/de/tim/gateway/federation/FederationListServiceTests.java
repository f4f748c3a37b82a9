package de.tim.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import de.tim.crypto.jws.TiJws;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
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

    static final String VZD_ROLE = "1.2.276.0.76.4.999";
    static final IssuedCertificate ROOT = CertificateIssuer.selfSignedRoot("CN=Test TI Root", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(3650));
    static final IssuedCertificate CA = CertificateIssuer.intermediate(ROOT, "CN=Test Komp-CA", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(1000));
    static final IssuedCertificate SIGNER_BP = signer(CA, EcCurve.BRAINPOOL_P256R1, VZD_ROLE);
    static final IssuedCertificate SIGNER_ES = signer(CA, EcCurve.P256, VZD_ROLE);
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    HttpServer registration;
    final AtomicReference<String> served = new AtomicReference<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicReference<String> lastQuery = new AtomicReference<>();
    MutableClock clock = new MutableClock(NOW);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    FederationListService service;

    @BeforeEach
    void start() throws IOException {
        registration = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registration.createContext("/internal/federation-list", exchange -> {
            requests.incrementAndGet();
            lastQuery.set(exchange.getRequestURI().getQuery());
            if (!"Bearer gw-token".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
            } else if (served.get() == null) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                byte[] body = served.get().getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        registration.start();
        service = newService(URI.create("http://127.0.0.1:" + registration.getAddress().getPort() + "/internal/federation-list"));
    }

    @AfterEach
    void stop() {
        registration.stop(0);
    }

    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void aValidListIsUsedWithBothAlgorithms(EcCurve curve) {
        served.set(list(curve == EcCurve.P256 ? SIGNER_ES : SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(30)),
                "praxis-a.tim.local", "klinik-b.tim.local"));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).isTrue();
        assertThat(service.isFederated(ServerName.parse("klinik-b.tim.local"))).isTrue();
        assertThat(service.isFederated(ServerName.parse("evil.example"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRAXIS-A.tim.local", "praxis-a.tim.local.", "praxis-a.tim.local:8448", "praxis-a.tim.local:443"})
    void spellingsOfAListedDomainAreNotFederated(String spelling) {
        served.set(list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse(spelling))).isFalse();
    }

    @Test
    void aForgedSignatureIsRejectedAndTheLastGoodListKept() {
        served.set(list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        String genuine = list(SIGNER_BP, 2, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "evil.example");
        String[] parts = genuine.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("evil.example", "evil.exampl2").getBytes(StandardCharsets.UTF_8));
        served.set(parts[0] + "." + forgedPayload + "." + parts[2]);
        service.refresh();
        assertThat(service.current()).get().extracting(FederationList::version).isEqualTo(1L);
        assertThat(meters.counter("tim.gateway.federation.list.refresh.failures").count()).isEqualTo(1);
    }

    @Test
    void aChainToAnotherRootIsRejected() {
        IssuedCertificate otherRoot = CertificateIssuer.selfSignedRoot("CN=Test TI Root", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10));
        IssuedCertificate otherCa = CertificateIssuer.intermediate(otherRoot, "CN=Test Komp-CA", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10));
        served.set(list(signer(otherCa, EcCurve.BRAINPOOL_P256R1, VZD_ROLE), 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).isEmpty();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).as("fail closed").isFalse();
    }

    @Test
    void aSignerWithoutTheRequiredRoleIsRejected() {
        served.set(list(signer(CA, EcCurve.BRAINPOOL_P256R1, TiAdmission.OID_TIM), 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).isEmpty();
    }

    @Test
    void expiredAndNotYetValidListsAreRejected() {
        served.set(list(SIGNER_BP, 1, NOW.minus(Duration.ofDays(31)), NOW.minusSeconds(1), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).as("expired").isEmpty();
        served.set(list(SIGNER_BP, 1, NOW.plusSeconds(60), NOW.plus(Duration.ofDays(30)), "praxis-a.tim.local"));
        service.refresh();
        assertThat(service.current()).as("not yet valid").isEmpty();
    }

    @Test
    void versionsNeverGoBackwardsAndTheKnownVersionIsSent() {
        served.set(list(SIGNER_BP, 5, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        served.set(list(SIGNER_BP, 4, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "older.example"));
        service.refresh();
        assertThat(lastQuery.get()).isEqualTo("version=5");
        assertThat(service.current()).get().extracting(FederationList::version).isEqualTo(5L);
        assertThat(service.isFederated(ServerName.parse("older.example"))).isFalse();
    }

    @Test
    void anUnreachableSourceKeepsTheLastGoodListEvenPastItsExpiry() {
        served.set(list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        registration.stop(0);
        clock.advance(Duration.ofHours(2));
        service.refresh();
        assertThat(service.isFederated(ServerName.parse("praxis-a.tim.local"))).isTrue();
        assertThat(meters.get("tim.gateway.federation.list.expired").gauge().value()).isEqualTo(1.0);
        assertThat(meters.counter("tim.gateway.federation.list.refresh.failures").count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnknownDomainTriggersOneRateLimitedRefetch() {
        served.set(list(SIGNER_BP, 1, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local"));
        service.refresh();
        served.set(list(SIGNER_BP, 2, NOW.minusSeconds(60), NOW.plusSeconds(3600), "praxis-a.tim.local", "neu.tim.local"));
        int before = requests.get();
        assertThat(service.isFederated(ServerName.parse("neu.tim.local"))).as("found after refetch").isTrue();
        assertThat(service.isFederated(ServerName.parse("unknown.tim.local"))).isFalse();
        assertThat(requests.get() - before).as("second miss within the interval does not fetch again").isEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        assertThat(service.isFederated(ServerName.parse("unknown.tim.local"))).isFalse();
        assertThat(requests.get() - before).isEqualTo(2);
    }

    @Test
    void withoutASourceNothingIsFederated() {
        FederationListService unconfigured = newService(null);
        unconfigured.refresh();
        assertThat(unconfigured.isFederated(ServerName.parse("praxis-a.tim.local"))).isFalse();
    }

    private FederationListService newService(URI source) {
        Path anchors = dir.resolve("ti-roots.pem");
        KeyStores.writePem(anchors, ROOT.certificate());
        FederationListProperties properties = new FederationListProperties(source, "gw-token", List.of(anchors), null,
                VZD_ROLE, null, Duration.ofSeconds(10), null, null);
        var trust = new FederationListConfiguration.TrustAnchors(properties);
        return new FederationListService(new FederationListFetcher(HttpClient.newHttpClient(), properties), trust::verifier,
                properties.missRefetchInterval(), clock, meters);
    }

    static String list(IssuedCertificate signer, long version, Instant iat, Instant exp, String... domains) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String domain : domains) {
            entries.add(Map.of("domain", domain, "telematikID", "1-" + domain, "isInsurance", false, "timProvider", "test-provider"));
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("version", version)
                .claim("domainList", entries)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .build();
        return TiJws.signJwt(signer, claims).serialize();
    }

    static IssuedCertificate signer(IssuedCertificate ca, EcCurve curve, String role) {
        return CertificateIssuer.signer(ca, "CN=VZD Federation List Signer", curve, Duration.ofDays(100),
                List.of(TiAdmission.extension("VZD-FHIR-Directory", role)));
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
