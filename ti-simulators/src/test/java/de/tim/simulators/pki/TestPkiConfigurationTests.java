package de.tim.simulators.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.x509.Certificates;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.TiAdmission;
import de.tim.simulators.SimulatorsDataDir;
import de.tim.simulators.SimulatorsProperties;

class TestPkiConfigurationTests {

    private static TestPki create(Path dir) {
        SimulatorsProperties simulators = new SimulatorsProperties(dir, "changeit", "");
        PkiProperties pki = new PkiProperties(java.time.Duration.ofDays(3650), java.time.Duration.ofDays(730), "9-2.58.00000040", de.tim.crypto.x509.TiAdmission.OID_TIM);
        return new TestPkiConfiguration().testPki(new SimulatorsDataDir(simulators), simulators, pki);
    }

    @Test
    void createsBothCurvesAndAllSignersAndExportsTrustAnchors(@TempDir Path dir) throws Exception {
        TestPki pki = create(dir);
        assertThat(TiJwsAlgorithms.curveOf(pki.roots().get(EcCurve.BRAINPOOL_P256R1).certificate().getPublicKey()))
                .isEqualTo(EcCurve.BRAINPOOL_P256R1);
        for (SignerRole role : SignerRole.values()) {
            assertThat(TiJwsAlgorithms.curveOf(pki.signer(role).certificate().getPublicKey())).isEqualTo(role.curve());
            assertThat(pki.chainValidator().validate(pki.signer(role).chain())).isEqualTo(pki.signer(role).certificate());
            assertThat(pki.signer(role).chain()).hasSize(3);
        }
        assertThat(TiAdmission.roleOids(pki.signer(SignerRole.REGSERVICE).certificate())).containsExactly(TiAdmission.OID_TIM);
        assertThat(Certificates.readPem(pki.rootsPem())).containsExactlyElementsOf(pki.rootCertificates());
        assertThat(Certificates.readTrustStore(pki.rootsTrustStore(), "changeit".toCharArray()))
                .containsExactlyInAnyOrderElementsOf(pki.rootCertificates());
        assertThat(dir.resolve("pki").resolve(PkiFiles.REGSERVICE_SIGNER_P12)).isRegularFile();
    }

    @Test
    void aDataDirKeepsThePkiAcrossRestarts(@TempDir Path dir) {
        TestPki first = create(dir);
        TestPki second = create(dir);
        assertThat(second.rootCertificates()).isEqualTo(first.rootCertificates());
        assertThat(second.signer(SignerRole.FEDERATION_LIST_BP256).certificate())
                .isEqualTo(first.signer(SignerRole.FEDERATION_LIST_BP256).certificate());
        assertThat(List.of(second.signer(SignerRole.REGSERVICE).privateKey().getEncoded()))
                .containsExactly(first.signer(SignerRole.REGSERVICE).privateKey().getEncoded());
    }

    @Test
    void withoutADataDirEachStartHasItsOwnPki() {
        SimulatorsProperties simulators = new SimulatorsProperties(null, "changeit", "");
        SimulatorsDataDir a = new SimulatorsDataDir(simulators);
        SimulatorsDataDir b = new SimulatorsDataDir(simulators);
        assertThat(a.persistent()).isFalse();
        assertThat(a.root()).isNotEqualTo(b.root());
    }
}
