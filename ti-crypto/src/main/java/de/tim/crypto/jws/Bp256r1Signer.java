package de.tim.crypto.jws;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.util.Base64URL;

import de.tim.crypto.x509.BouncyCastle;

/**
 * A Nimbus {@link JWSSigner} for {@link TiJwsAlgorithms#BP256R1}: ECDSA on brainpoolP256r1 with SHA-256 on
 * BouncyCastle, emitting the signature in the JWS form R||S (32 + 32 bytes).
 */
public final class Bp256r1Signer extends BaseJWSProvider implements JWSSigner {

    /** BouncyCastle's "plain" ECDSA produces R||S directly (BSI TR-03111), not DER. */
    static final String JCA_ALGORITHM = "SHA256withPLAIN-ECDSA";

    private final PrivateKey privateKey;

    /** @param privateKey an EC private key on brainpoolP256r1 */
    public Bp256r1Signer(PrivateKey privateKey) {
        super(Set.of(TiJwsAlgorithms.BP256R1));
        if (!"EC".equals(privateKey.getAlgorithm()) && !"ECDSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("BP256R1 needs an EC private key, got " + privateKey.getAlgorithm());
        }
        this.privateKey = privateKey;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!TiJwsAlgorithms.BP256R1.equals(header.getAlgorithm())) {
            throw new JOSEException("Bp256r1Signer signs only BP256R1, not " + header.getAlgorithm());
        }
        try {
            Signature signature = Signature.getInstance(JCA_ALGORITHM, BouncyCastle.provider());
            signature.initSign(privateKey);
            signature.update(signingInput);
            return Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("BP256R1 signing failed", e);
        }
    }
}
