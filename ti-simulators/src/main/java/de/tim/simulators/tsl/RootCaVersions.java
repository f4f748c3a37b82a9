package de.tim.simulators.tsl;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.springframework.stereotype.Component;

import de.tim.crypto.x509.BouncyCastle;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.simulators.pki.PkiProperties;
import de.tim.simulators.pki.TestPki;

/**
 * The root versions published at the simulated ROOT-CA download point, oldest first: the test PKI's brainpool
 * root, then its P-256 root, then any version added with {@link #publishNextVersion()}. Consecutive versions
 * are linked by cross certificates in both directions: a version's {@code prev} carries its own key certified
 * by its predecessor, its {@code next} its own key certified by its successor. Versions added at run time
 * live in memory only.
 */
@Component
public class RootCaVersions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One root version with the cross certificates to its neighbours (null where there is none). */
    public record Version(String name, IssuedCertificate root, X509Certificate prev, X509Certificate next) {
    }

    private final List<Version> versions = new ArrayList<>();
    private final Duration validity;

    public RootCaVersions(TestPki pki, PkiProperties properties) {
        this.validity = properties.caValidity();
        versions.add(new Version("RCA-TEST-1", pki.roots().get(EcCurve.BRAINPOOL_P256R1), null, null));
        append("RCA-TEST-2", pki.roots().get(EcCurve.P256));
    }

    public synchronized List<Version> versions() {
        return List.copyOf(versions);
    }

    /** Generates a new brainpool root version, cross-certified with the newest one, and publishes it. */
    public synchronized Version publishNextVersion() {
        String name = "RCA-TEST-" + (versions.size() + 1);
        IssuedCertificate root = CertificateIssuer.selfSignedRoot("CN=GEM." + name + ",O=gematik TEST-ONLY,C=DE",
                EcCurve.BRAINPOOL_P256R1, validity);
        return append(name, root);
    }

    private Version append(String name, IssuedCertificate root) {
        Version previous = versions.getLast();
        Version added = new Version(name, root, cross(root, previous.root()), null);
        versions.set(versions.size() - 1, new Version(previous.name(), previous.root(), previous.prev(),
                cross(previous.root(), root)));
        versions.add(added);
        return added;
    }

    /** {@code subject}'s name and key as a CA certificate issued and signed by {@code issuer}. */
    static X509Certificate cross(IssuedCertificate subject, IssuedCertificate issuer) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer.certificate().getSubjectX500Principal(), new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))),
                    subject.certificate().getSubjectX500Principal(), subject.certificate().getPublicKey());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(subject.certificate().getPublicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuer.certificate().getPublicKey()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.provider())
                            .build(issuer.privateKey())));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot create a cross certificate", e);
        }
    }
}
