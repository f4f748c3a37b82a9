package de.tim.crypto.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateIssuerTests {

    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void chainsValidateToTheirRootWithPkix(EcCurve curve) throws Exception {
        IssuedCertificate root = CertificateIssuer.selfSignedRoot("CN=Test Root", curve, Duration.ofDays(3650));
        IssuedCertificate ca = CertificateIssuer.intermediate(root, "CN=Test CA", curve, Duration.ofDays(1000));
        IssuedCertificate server = CertificateIssuer.tlsServer(ca, "host", List.of("host.tim.local", "localhost"),
                List.of("127.0.0.1"), curve, Duration.ofDays(90));

        assertThat(server.chain()).hasSize(3);
        assertThat(server.root()).isEqualTo(root.certificate());
        validate(server, root);
        assertThat(server.certificate().getSubjectAlternativeNames()).extracting(l -> (Object) l.get(1))
                .contains("host.tim.local", "localhost", "127.0.0.1");
    }

    @Test
    void aChainFromAnotherRootDoesNotValidate() throws Exception {
        IssuedCertificate root = CertificateIssuer.selfSignedRoot("CN=Root A", EcCurve.P256, Duration.ofDays(10));
        IssuedCertificate other = CertificateIssuer.selfSignedRoot("CN=Root A", EcCurve.P256, Duration.ofDays(10));
        IssuedCertificate server = CertificateIssuer.tlsServer(other, "h", List.of("h"), List.of(), EcCurve.P256, Duration.ofDays(1));
        assertThatThrownBy(() -> validate(server, root)).isInstanceOf(CertPathValidatorException.class);
    }

    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void keyStoreRoundTrips(EcCurve curve, @TempDir Path dir) {
        IssuedCertificate root = CertificateIssuer.selfSignedRoot("CN=Root", curve, Duration.ofDays(10));
        IssuedCertificate server = CertificateIssuer.tlsServer(root, "h", List.of("h"), List.of(), curve, Duration.ofDays(1));
        Path file = dir.resolve("server.p12");
        KeyStores.writeKeyStore(server, file, "pw".toCharArray());
        IssuedCertificate read = KeyStores.readKeyStore(file, "pw".toCharArray());
        assertThat(read.chain()).isEqualTo(server.chain());
        assertThat(read.privateKey().getEncoded()).isEqualTo(server.privateKey().getEncoded());
        assertThat(KeyStores.toPem(root.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(de.tim.crypto.jws.TiJwsAlgorithms.curveOf(read.certificate().getPublicKey())).isEqualTo(curve);
        KeyStores.writeTrustStore(List.of(root.certificate()), dir.resolve("trust.p12"), "pw".toCharArray());
        assertThat(Certificates.readTrustStore(dir.resolve("trust.p12"), "pw".toCharArray())).containsExactly(root.certificate());
        KeyStores.writePem(dir.resolve("root.pem"), root.certificate());
        assertThat(Certificates.readPem(dir.resolve("root.pem"))).containsExactly(root.certificate());
    }

    private static void validate(IssuedCertificate leaf, IssuedCertificate root) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        var path = factory.generateCertPath(leaf.chain().subList(0, leaf.chain().size() - (leaf.issuerChain().isEmpty() ? 0 : 1)));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX", BouncyCastle.provider()).validate(path, params);
    }
}
