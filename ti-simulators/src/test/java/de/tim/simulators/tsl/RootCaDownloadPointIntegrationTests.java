package de.tim.simulators.tsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.crypto.x509.BouncyCastle;
import de.tim.crypto.x509.Certificates;
import de.tim.crypto.x509.EcCurve;
import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;
import de.tim.simulators.pki.TestPki;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class RootCaDownloadPointIntegrationTests extends SimulatorIntegrationTestBase {

    @Autowired
    TestPki pki;

    @Test
    void rootsJsonListsTheVersionsWithCrossCertificatesBothWays() throws Exception {
        SimulatorHttp.Response response = http.get("/ECC/ROOT-CA/roots.json");
        assertThat(response.status()).isEqualTo(200);
        JsonNode roots = response.json();
        assertThat(roots.size()).isGreaterThanOrEqualTo(2);
        X509Certificate first = cert(roots.get(0).path("cert").asText());
        X509Certificate second = cert(roots.get(1).path("cert").asText());
        assertThat(first).isEqualTo(pki.roots().get(EcCurve.BRAINPOOL_P256R1).certificate());
        assertThat(second).isEqualTo(pki.roots().get(EcCurve.P256).certificate());
        assertThat(roots.get(0).path("prev").asText()).isEmpty();
        assertThat(roots.get(0).path("SKI").asText()).matches("[0-9A-F]{40}");
        assertThat(roots.get(0).path("CN").asText()).startsWith("GEM.RCA-TIM-TEST-");

        X509Certificate secondByFirst = cert(roots.get(1).path("prev").asText());
        assertThat(secondByFirst.getPublicKey()).isEqualTo(second.getPublicKey());
        secondByFirst.verify(first.getPublicKey(), BouncyCastle.provider());
        X509Certificate firstBySecond = cert(roots.get(0).path("next").asText());
        assertThat(firstBySecond.getPublicKey()).isEqualTo(first.getPublicKey());
        firstBySecond.verify(second.getPublicKey(), BouncyCastle.provider());
    }

    @Test
    void aNewVersionIsPublishedCrossCertifiedByTheNewest() throws Exception {
        int before = http.get("/ECC/ROOT-CA/roots.json").json().size();
        SimulatorHttp.Response added = http.postJson("/control/root-ca/next-version", "{}");
        assertThat(added.status()).isEqualTo(200);
        JsonNode roots = http.get("/ECC/ROOT-CA/roots.json").json();
        assertThat(roots.size()).isEqualTo(before + 1);
        JsonNode newest = roots.get(before);
        assertThat(newest.path("name").asText()).isEqualTo(added.json().path("name").asText());
        assertThat(newest.path("next").asText()).isEmpty();
        X509Certificate previousRoot = cert(roots.get(before - 1).path("cert").asText());
        cert(newest.path("prev").asText()).verify(previousRoot.getPublicKey(), BouncyCastle.provider());
    }

    private static X509Certificate cert(String base64) {
        return Certificates.fromDer(Base64.getDecoder().decode(base64));
    }
}
