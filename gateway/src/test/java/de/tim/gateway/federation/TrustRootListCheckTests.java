package de.tim.gateway.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.x509.BouncyCastle;
import de.tim.gateway.TestFederationList;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly ROOT-CA download point check against an HTTP server serving a {@code roots.json} in gematik's
 * format: new roots are taken into use only when cross-certified by a trusted root; failures keep the roots.
 */
class TrustRootListCheckTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final IssuedCertificate rca1 = CertificateIssuer.selfSignedRoot("CN=GEM.RCA1 TEST-ONLY", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(3650));
    private final IssuedCertificate rca2 = CertificateIssuer.selfSignedRoot("CN=GEM.RCA2 TEST-ONLY", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(3650));
    private final IssuedCertificate rca3 = CertificateIssuer.selfSignedRoot("CN=GEM.RCA3 TEST-ONLY", EcCurve.P256, Duration.ofDays(3650));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ECC/ROOT-CA/roots.json", exchange -> {
            byte[] bytes = body.get() == null ? new byte[0] : body.get();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aNewRootCrossCertifiedByATrustedRootIsTakenIntoUse() throws Exception {
        var anchors = anchors(rca1);
        IssuedCertificate ca = CertificateIssuer.intermediate(rca2, "CN=Komp-CA under RCA2", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(100));
        String listUnderRca2 = TestFederationList.list(TestFederationList.signer(ca, EcCurve.BRAINPOOL_P256R1,
                TestFederationList.SIGNER_ROLE), 1, Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600), "a.tim.local");
        assertThatThrownBy(() -> anchors.verifier().verify(listUnderRca2)).isInstanceOf(JwsVerificationException.class);

        body.set(rootsJson(entry("RCA1", rca1, null, cross(rca2, rca1)), entry("RCA2", rca2, cross(rca2, rca1), null)));
        List<X509Certificate> added = check(anchors).check();
        assertThat(added).containsExactly(rca2.certificate());
        assertThat(anchors.current()).containsExactlyInAnyOrder(rca1.certificate(), rca2.certificate());
        assertThat(anchors.verifier().verify(listUnderRca2)).isNotNull();
        assertThat(meters.counter("tim.gateway.federation.roots.added").count()).isEqualTo(1);
        assertThat(meters.get("tim.gateway.federation.roots").gauge().value()).isEqualTo(2);

        // the weekly re-read of the files keeps the downloaded root; a second check adds nothing
        anchors.reload();
        assertThat(anchors.current()).contains(rca2.certificate());
        assertThat(check(anchors).check()).isEmpty();
    }

    @Test
    void aChainOfNewVersionsIsFollowedInOnePass() throws Exception {
        var anchors = anchors(rca1);
        body.set(rootsJson(entry("RCA1", rca1, null, cross(rca2, rca1)), entry("RCA2", rca2, cross(rca2, rca1), cross(rca3, rca2)),
                entry("RCA3", rca3, cross(rca3, rca2), null)));
        assertThat(check(anchors).check()).containsExactlyInAnyOrder(rca2.certificate(), rca3.certificate());
    }

    @Test
    void aRootWithoutValidCrossCertificateIsRefused() throws Exception {
        var anchors = anchors(rca1);
        IssuedCertificate forger = CertificateIssuer.selfSignedRoot("CN=GEM.RCA1 TEST-ONLY", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(30));
        // a cross certificate naming the trusted root as issuer but signed by another key, and a bare new root
        body.set(rootsJson(entry("RCA1", rca1, null, null), entry("RCA2", rca2, cross(rca2, forger), null),
                entry("RCA3", rca3, null, null)));
        assertThat(check(anchors).check()).isEmpty();
        assertThat(anchors.current()).containsExactly(rca1.certificate());
        assertThat(meters.counter("tim.gateway.federation.roots.rejected").count()).isEqualTo(2);
    }

    @Test
    void aCrossCertificateForAnotherKeyDoesNotCount() throws Exception {
        var anchors = anchors(rca1);
        IssuedCertificate impostor = CertificateIssuer.selfSignedRoot("CN=GEM.RCA2 TEST-ONLY", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(30));
        body.set(rootsJson(entry("RCA1", rca1, null, cross(rca2, rca1)), entry("RCA2", impostor, cross(rca2, rca1), null)));
        assertThat(check(anchors).check()).isEmpty();
        assertThat(anchors.current()).containsExactly(rca1.certificate());
    }

    @Test
    void failuresAlertAndKeepTheRoots() throws Exception {
        var anchors = anchors(rca1);
        TrustRootListCheck check = check(anchors);
        status.set(503);
        assertThat(check.check()).isEmpty();
        status.set(200);
        body.set("{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(check.check()).isEmpty();
        body.set("[{\"name\":\"RCA2\",\"cert\":\"bm90IGEgY2VydA==\"}]".getBytes(StandardCharsets.UTF_8));
        assertThat(check.check()).isEmpty();
        server.stop(0);
        assertThat(check.check()).isEmpty();
        assertThat(meters.counter("tim.gateway.federation.roots.check.failures").count()).isEqualTo(4);
        assertThat(anchors.current()).containsExactly(rca1.certificate());
    }

    @Test
    void theSpecsWrappedExampleFormIsAccepted() throws Exception {
        var anchors = anchors(rca1);
        byte[] array = rootsJson(entry("RCA1", rca1, null, cross(rca2, rca1)), entry("RCA2", rca2, cross(rca2, rca1), null));
        body.set(("{\"roots\":" + new String(array, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8));
        assertThat(check(anchors).check()).containsExactly(rca2.certificate());
    }

    @Test
    void withoutUrlTheCheckIsOff() throws Exception {
        var anchors = anchors(rca1);
        TrustRootListCheck off = new TrustRootListCheck(new TrustRootListProperties(null, null, null), anchors,
                HttpClient.newHttpClient(), Clock.systemUTC(), meters);
        assertThat(off.enabled()).isFalse();
        assertThat(off.check()).isEmpty();
    }

    private TrustRootListCheck check(FederationListConfiguration.TrustAnchors anchors) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ECC/ROOT-CA/roots.json");
        return new TrustRootListCheck(new TrustRootListProperties(uri, Duration.ofSeconds(5), null), anchors,
                HttpClient.newHttpClient(), Clock.systemUTC(), meters);
    }

    private FederationListConfiguration.TrustAnchors anchors(IssuedCertificate root) throws IOException {
        Path pem = dir.resolve("ti-roots.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded(root.certificate()))
                + "\n-----END CERTIFICATE-----\n");
        FederationListProperties properties = new FederationListProperties(null, null, List.of(pem), null, null, null,
                null, null, null);
        return new FederationListConfiguration.TrustAnchors(properties);
    }

    private static Map<String, Object> entry(String name, IssuedCertificate root, X509Certificate prev, X509Certificate next) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("CN", "GEM." + name);
        entry.put("cert", Base64.getEncoder().encodeToString(encoded(root.certificate())));
        entry.put("prev", prev == null ? "" : Base64.getEncoder().encodeToString(encoded(prev)));
        entry.put("next", next == null ? "" : Base64.getEncoder().encodeToString(encoded(next)));
        entry.put("SKI", "");
        return entry;
    }

    @SafeVarargs
    private static byte[] rootsJson(Map<String, Object>... entries) throws IOException {
        return JSON.writeValueAsBytes(new ArrayList<>(List.of(entries)));
    }

    /** A cross certificate: {@code subject}'s name and key, issued and signed by {@code issuer}. */
    private static X509Certificate cross(IssuedCertificate subject, IssuedCertificate issuer) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(issuer.certificate().getSubjectX500Principal(),
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(365))), subject.certificate().getSubjectX500Principal(),
                    subject.certificate().getPublicKey());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.provider())
                    .build(issuer.privateKey());
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
