package de.tim.simulators.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;

/**
 * The test PKI: a root CA per curve (shaped like GEM.RCA), an intermediate per curve (like GEM.KOMP-CA) and the
 * signer certificates of {@link SignerRole}. Immutable.
 *
 * @param roots     root CA per curve
 * @param signers   signer per role
 * @param directory where the material and the exported trust anchors are
 */
public record TestPki(Map<EcCurve, IssuedCertificate> roots, Map<SignerRole, IssuedCertificate> signers, Path directory) {

    public TestPki {
        roots = Map.copyOf(roots);
        signers = Map.copyOf(signers);
    }

    public IssuedCertificate signer(SignerRole role) {
        return signers.get(role);
    }

    public List<X509Certificate> rootCertificates() {
        return List.of(roots.get(EcCurve.BRAINPOOL_P256R1).certificate(), roots.get(EcCurve.P256).certificate());
    }

    /** A chain validator trusting both roots. */
    public CertificateChainValidator chainValidator() {
        return new CertificateChainValidator(rootCertificates());
    }

    public Path rootsPem() {
        return directory.resolve(PkiFiles.ROOTS_PEM);
    }

    public Path rootsTrustStore() {
        return directory.resolve(PkiFiles.ROOTS_P12);
    }
}
