package de.tim.simulators.idp;

import java.security.interfaces.ECPublicKey;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJws;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.federation.FederationListSigner;

/** Signs ID_TOKENs with the IDP's brainpool or P-256 key (header: alg, kid, x5c) and publishes both keys as JWKs. */
@Component
public class IdpSigner {

    private final Map<JWSAlgorithm, IssuedCertificate> signers;
    private final JWSAlgorithm algorithm;

    public IdpSigner(TestPki pki, IdpProperties properties) {
        this.signers = Map.of(TiJwsAlgorithms.BP256R1, pki.signer(SignerRole.IDP_BP256),
                JWSAlgorithm.ES256, pki.signer(SignerRole.IDP_P256));
        this.algorithm = FederationListSigner.parse(properties.algorithm());
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    public String sign(JWTClaimsSet claims) {
        IssuedCertificate signer = signers.get(algorithm);
        JWSHeader header = TiJws.headerWithX5c(signer).type(JOSEObjectType.JWT).keyID(keyId(algorithm)).build();
        return TiJws.sign(signer, header, claims).serialize();
    }

    /** The JWK set (RFC 7517) of both signing keys; brainpool as {@code crv: BP-256} like the gematik IDP. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        signers.forEach((alg, signer) -> keys.add(jwk(alg, signer)));
        keys.sort((a, b) -> ((String) a.get("kid")).compareTo((String) b.get("kid")));
        return Map.of("keys", keys);
    }

    private static String keyId(JWSAlgorithm alg) {
        return alg.equals(TiJwsAlgorithms.BP256R1) ? "puk_idp_sig" : "puk_idp_sig_es256";
    }

    private static Map<String, Object> jwk(JWSAlgorithm alg, IssuedCertificate signer) {
        ECPublicKey key = (ECPublicKey) signer.certificate().getPublicKey();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", alg.equals(TiJwsAlgorithms.BP256R1) ? "BP-256" : "P-256");
        jwk.put("x", Base64URL.encode(unsigned(key.getW().getAffineX())).toString());
        jwk.put("y", Base64URL.encode(unsigned(key.getW().getAffineY())).toString());
        jwk.put("use", "sig");
        jwk.put("alg", alg.getName());
        jwk.put("kid", keyId(alg));
        try {
            jwk.put("x5c", List.of(Base64.encode(signer.certificate().getEncoded()).toString()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return jwk;
    }

    private static byte[] unsigned(java.math.BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }
}
