package de.tim.routes.federationlist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJws;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;

/** A small PKI per curve and signed federation lists for tests without the simulators. */
final class TestFederationLists {

    final IssuedCertificate root;
    final IssuedCertificate signer;
    final Path rootsPem;

    TestFederationLists(Path dir, EcCurve curve) throws Exception {
        root = CertificateIssuer.selfSignedRoot("CN=Test Root " + curve + ",C=DE", curve, Duration.ofDays(30));
        IssuedCertificate ca = CertificateIssuer.intermediate(root, "CN=Test CA " + curve + ",C=DE", curve, Duration.ofDays(20));
        signer = CertificateIssuer.signer(ca, "CN=Federation List Signer,C=DE", curve, Duration.ofDays(10), List.of());
        Files.createDirectories(dir);
        rootsPem = dir.resolve("roots-" + curve + ".pem");
        KeyStores.writePem(rootsPem, root.certificate());
    }

    String sign(long version, Instant iat, Instant exp) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("version", version)
                .claim("domainList", List.of(Map.of("domain", "a.tim.local", "telematikID", "1-x", "isInsurance", false,
                        "timProvider", "p")))
                .issueTime(Date.from(iat)).expirationTime(Date.from(exp)).build();
        return TiJws.sign(signer, TiJws.headerWithX5c(signer).build(), claims).serialize();
    }

    String sign(long version) {
        Instant now = Instant.now();
        return sign(version, now.minusSeconds(5), now.plus(Duration.ofHours(24)));
    }

    static FederationListProperties properties(Path rootsPem) {
        return new FederationListProperties(List.of(rootsPem), java.util.Set.of("BP256R1", "ES256"), null,
                Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }
}
