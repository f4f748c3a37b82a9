package de.tim.crypto.jws;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;

/**
 * Entry point for signing and verifying TI JWS/JWT with EC keys: picks {@code BP256R1} for brainpoolP256r1 keys and
 * {@code ES256} for P-256 keys, and writes the {@code x5c} header from an {@link IssuedCertificate}.
 */
public final class TiJws {

    private TiJws() {
    }

    /** A signer for the key: {@link Bp256r1Signer} on brainpoolP256r1, Nimbus' {@link ECDSASigner} on P-256. */
    public static JWSSigner signer(PrivateKey privateKey, EcCurve curve) {
        return switch (curve) {
            case BRAINPOOL_P256R1 -> new Bp256r1Signer(privateKey);
            case P256 -> {
                try {
                    yield new ECDSASigner((ECPrivateKey) privateKey);
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("not a P-256 key", e);
                }
            }
        };
    }

    /** A verifier for the public key; its curve decides the algorithm. */
    public static JWSVerifier verifier(PublicKey publicKey) {
        return switch (TiJwsAlgorithms.curveOf(publicKey)) {
            case BRAINPOOL_P256R1 -> new Bp256r1Verifier(publicKey);
            case P256 -> {
                try {
                    yield new ECDSAVerifier((ECPublicKey) publicKey);
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("not a P-256 key", e);
                }
            }
        };
    }

    /** A header builder with the algorithm for the signer's curve and the signer's chain (without the root) as x5c. */
    public static JWSHeader.Builder headerWithX5c(IssuedCertificate signer) {
        EcCurve curve = TiJwsAlgorithms.curveOf(signer.certificate().getPublicKey());
        return new JWSHeader.Builder(TiJwsAlgorithms.forCurve(curve)).x509CertChain(x5c(signer));
    }

    /** Signs the claims as a JWT ({@code typ: JWT}) with the signer's key and its chain as x5c. */
    public static SignedJWT signJwt(IssuedCertificate signer, JWTClaimsSet claims) {
        JWSHeader header = headerWithX5c(signer).type(JOSEObjectType.JWT).build();
        return sign(signer, header, claims);
    }

    /** Signs the claims as a JWT with the given header (whose algorithm must fit the signer's curve). */
    public static SignedJWT sign(IssuedCertificate signer, JWSHeader header, JWTClaimsSet claims) {
        EcCurve curve = TiJwsAlgorithms.curveOf(signer.certificate().getPublicKey());
        JWSAlgorithm expected = TiJwsAlgorithms.forCurve(curve);
        if (!expected.equals(header.getAlgorithm())) {
            throw new IllegalArgumentException("a " + curve + " key signs " + expected + ", not " + header.getAlgorithm());
        }
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer(signer.privateKey(), curve));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt;
    }

    /** The x5c value for a signer: its certificate and intermediates, leaf first, without the self-signed root. */
    public static List<Base64> x5c(IssuedCertificate signer) {
        List<X509Certificate> chain = signer.chain();
        List<X509Certificate> withoutRoot = chain.size() > 1 ? chain.subList(0, chain.size() - 1) : chain;
        return withoutRoot.stream().map(TiJws::encode).toList();
    }

    private static Base64 encode(X509Certificate certificate) {
        try {
            return Base64.encode(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
