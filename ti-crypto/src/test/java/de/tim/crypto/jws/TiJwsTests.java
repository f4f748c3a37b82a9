package de.tim.crypto.jws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.TiAdmission;

class TiJwsTests {

    static IssuedCertificate bpRoot;
    static IssuedCertificate bpSigner;
    static IssuedCertificate p256Root;
    static IssuedCertificate p256Signer;
    static IssuedCertificate foreignSigner;

    @BeforeAll
    static void pki() {
        bpRoot = CertificateIssuer.selfSignedRoot("CN=GEM.RCA-TEST", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(100));
        IssuedCertificate bpCa = CertificateIssuer.intermediate(bpRoot, "CN=GEM.KOMP-CA-TEST", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(50));
        bpSigner = CertificateIssuer.signer(bpCa, "CN=regservice", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10),
                List.of(TiAdmission.extension("TI-Messenger", TiAdmission.OID_TIM)));
        p256Root = CertificateIssuer.selfSignedRoot("CN=P256 Root", EcCurve.P256, Duration.ofDays(100));
        IssuedCertificate p256Ca = CertificateIssuer.intermediate(p256Root, "CN=P256 CA", EcCurve.P256, Duration.ofDays(50));
        p256Signer = CertificateIssuer.signer(p256Ca, "CN=federation list", EcCurve.P256, Duration.ofDays(10), List.of());
        IssuedCertificate foreignRoot = CertificateIssuer.selfSignedRoot("CN=GEM.RCA-TEST", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(100));
        foreignSigner = CertificateIssuer.signer(foreignRoot, "CN=regservice", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(10),
                List.of(TiAdmission.extension("TI-Messenger", TiAdmission.OID_TIM)));
    }

    private static X5cJwsVerifier verifier(String role) {
        return new X5cJwsVerifier(new CertificateChainValidator(List.of(bpRoot.certificate(), p256Root.certificate())),
                Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), role);
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().subject("1-SMC-B-Testkarte-883110000092414").claim("idNummer", "1-883110000092414").build();
    }

    @Test
    void bp256r1SignatureVerifiesWithRawBouncyCastleEcdsa() throws Exception {
        SignedJWT jwt = TiJws.signJwt(bpSigner, claims());
        String[] parts = jwt.serialize().split("\\.");
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("BP256R1");
        byte[] signature = Base64URL.from(parts[2]).decode();
        assertThat(signature).hasSize(64);

        X9ECParameters curve = ECNamedCurveTable.getByName("brainpoolP256r1");
        ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH());
        ECPublicKey key = (ECPublicKey) bpSigner.certificate().getPublicKey();
        ECDSASigner independent = new ECDSASigner();
        independent.init(false, new ECPublicKeyParameters(curve.getCurve().decodePoint(key.getQ().getEncoded(false)), domain));
        byte[] hash = MessageDigest.getInstance("SHA-256").digest((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        assertThat(independent.verifySignature(hash, r, s)).isTrue();
        assertThat(independent.verifySignature(hash, r, s.add(BigInteger.ONE))).isFalse();
    }

    @Test
    void es256SignatureVerifiesWithTheJdk() throws Exception {
        SignedJWT jwt = TiJws.signJwt(p256Signer, claims());
        String[] parts = jwt.serialize().split("\\.");
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        java.security.KeyFactory jdk = java.security.KeyFactory.getInstance("EC", "SunEC");
        var publicKey = jdk.generatePublic(new java.security.spec.X509EncodedKeySpec(p256Signer.certificate().getPublicKey().getEncoded()));
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format", "SunEC");
        verifier.initVerify(publicKey);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(Base64URL.from(parts[2]).decode())).isTrue();
    }

    @Test
    void x5cChainsOfBothCurvesValidateToTheirRoot() throws Exception {
        VerifiedJws bp = verifier(TiAdmission.OID_TIM).verify(TiJws.signJwt(bpSigner, claims()).serialize());
        assertThat(bp.signer()).isEqualTo(bpSigner.certificate());
        assertThat(bp.claims().getStringClaim("idNummer")).isEqualTo("1-883110000092414");
        VerifiedJws es = verifier(null).verify(TiJws.signJwt(p256Signer, claims()).serialize());
        assertThat(es.chain()).hasSize(2);
    }

    @Test
    void tamperedPayloadFails() {
        String[] parts = TiJws.signJwt(bpSigner, claims()).serialize().split("\\.");
        String forged = parts[0] + "." + Base64URL.encode("{\"idNummer\":\"1-other\"}") + "." + parts[2];
        assertThatThrownBy(() -> verifier(null).verify(forged)).isInstanceOf(JwsVerificationException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void tamperedSignatureFails() {
        String token = TiJws.signJwt(p256Signer, claims()).serialize();
        char last = token.charAt(token.length() - 5);
        String forged = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
        assertThatThrownBy(() -> verifier(null).verify(forged)).isInstanceOf(JwsVerificationException.class);
    }

    @Test
    void chainOfAnotherRootFails() {
        String token = TiJws.signJwt(foreignSigner, claims()).serialize();
        assertThatThrownBy(() -> verifier(null).verify(token)).hasMessageContaining("x5c chain");
    }

    @Test
    void missingRoleFails() {
        String token = TiJws.signJwt(p256Signer, claims()).serialize();
        assertThatThrownBy(() -> verifier(TiAdmission.OID_TIM).verify(token)).hasMessageContaining("role");
        assertThat(TiAdmission.roleOids(bpSigner.certificate())).containsExactly(TiAdmission.OID_TIM);
    }

    @Test
    void algorithmMustFitTheKeyAndBeAllowed() throws Exception {
        SignedJWT bp = TiJws.signJwt(bpSigner, claims());
        String[] parts = bp.serialize().split("\\.");
        JWSHeader lying = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .x509CertChain(TiJws.x5c(bpSigner)).build();
        String forged = lying.toBase64URL() + "." + parts[1] + "." + parts[2];
        assertThatThrownBy(() -> verifier(null).verify(forged)).hasMessageContaining("does not fit");

        X5cJwsVerifier onlyBp = new X5cJwsVerifier(new CertificateChainValidator(List.of(p256Root.certificate())),
                Set.of(TiJwsAlgorithms.BP256R1), null);
        assertThatThrownBy(() -> onlyBp.verify(TiJws.signJwt(p256Signer, claims()).serialize())).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> onlyBp.verify("garbage")).hasMessageContaining("not a compact JWS");
    }

    @Test
    void missingX5cFails() throws Exception {
        JWSHeader header = new JWSHeader.Builder(TiJwsAlgorithms.BP256R1).build();
        String token = TiJws.sign(bpSigner, header, claims()).serialize();
        assertThatThrownBy(() -> verifier(null).verify(token)).hasMessageContaining("no x5c");
    }
}
