package de.tim.simulators.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x509.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.crypto.x509.TiAdmission;
import de.tim.simulators.SimulatorsDataDir;
import de.tim.simulators.SimulatorsProperties;

/**
 * Creates the test PKI at start, or loads it from {@code <data-dir>/pki} when it is there, and exports the trust
 * anchors as PEM and PKCS#12.
 */
@Configuration(proxyBeanMethods = false)
public class TestPkiConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TestPkiConfiguration.class);

    @Bean
    public TestPki testPki(SimulatorsDataDir dataDir, SimulatorsProperties simulators, PkiProperties properties) {
        return loadOrCreate(dataDir.resolve("pki"), simulators.storePassword().toCharArray(), properties);
    }

    /**
     * Loads the test PKI from {@code dir} or creates what is missing there, and (re-)exports the trust anchors. Usable
     * without Spring, e.g. by a launcher that needs the trust anchors before the simulators start.
     */
    public static TestPki loadOrCreate(Path dir, char[] password, PkiProperties properties) {
        Map<EcCurve, IssuedCertificate> roots = new EnumMap<>(EcCurve.class);
        Map<EcCurve, IssuedCertificate> intermediates = new EnumMap<>(EcCurve.class);
        for (EcCurve curve : EcCurve.values()) {
            String suffix = curve == EcCurve.P256 ? "p256" : "bp256";
            IssuedCertificate root = loadOrCreate(dir.resolve("root-" + suffix + ".p12"), password, () ->
                    CertificateIssuer.selfSignedRoot("CN=GEM.RCA-TIM-TEST-" + suffix.toUpperCase() + ",O=gematik TEST-ONLY,C=DE",
                            curve, properties.caValidity()));
            roots.put(curve, root);
            intermediates.put(curve, loadOrCreate(dir.resolve("komp-ca-" + suffix + ".p12"), password, () ->
                    CertificateIssuer.intermediate(root, "CN=GEM.KOMP-CA-TIM-TEST-" + suffix.toUpperCase() + ",O=gematik TEST-ONLY,C=DE",
                            curve, properties.caValidity().dividedBy(2))));
        }
        Map<SignerRole, IssuedCertificate> signers = new EnumMap<>(SignerRole.class);
        for (SignerRole role : SignerRole.values()) {
            List<Extension> extensions = role == SignerRole.REGSERVICE
                    ? List.of(TiAdmission.extension("TI-Messenger Registrierungs-Dienst", properties.regServiceRoleOid()))
                    : List.of();
            String subject = role == SignerRole.REGSERVICE
                    ? role.subject() + ",SERIALNUMBER=" + properties.regServiceTelematikId()
                    : role.subject();
            signers.put(role, loadOrCreate(dir.resolve(role.fileName() + ".p12"), password, () ->
                    CertificateIssuer.signer(intermediates.get(role.curve()), subject, role.curve(),
                            properties.signerValidity(), extensions)));
            KeyStores.writePem(dir.resolve(role.fileName() + ".pem"), signers.get(role).certificate());
        }
        TestPki pki = new TestPki(roots, signers, dir);
        KeyStores.writePem(pki.rootsPem(), pki.rootCertificates().toArray());
        KeyStores.writeTrustStore(pki.rootCertificates(), pki.rootsTrustStore(), password);
        log.info("test PKI ready in {} (trust anchors: {})", dir, PkiFiles.ROOTS_PEM);
        return pki;
    }

    private static IssuedCertificate loadOrCreate(Path file, char[] password, Supplier<IssuedCertificate> create) {
        if (Files.isRegularFile(file)) {
            return KeyStores.readKeyStore(file, password);
        }
        IssuedCertificate issued = create.get();
        KeyStores.writeKeyStore(issued, file, password);
        return issued;
    }
}
