package de.tim.crypto.jws;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.util.Base64URL;

import de.tim.crypto.x509.BouncyCastle;
import de.tim.crypto.x509.EcCurve;

/** A Nimbus {@link JWSVerifier} for {@link TiJwsAlgorithms#BP256R1} signatures (R||S) on BouncyCastle. */
public final class Bp256r1Verifier extends BaseJWSProvider implements JWSVerifier {

    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey publicKey;

    /** @param publicKey an EC public key on brainpoolP256r1 */
    public Bp256r1Verifier(PublicKey publicKey) {
        super(Set.of(TiJwsAlgorithms.BP256R1));
        if (TiJwsAlgorithms.curveOf(publicKey) != EcCurve.BRAINPOOL_P256R1) {
            throw new IllegalArgumentException("BP256R1 needs a brainpoolP256r1 public key");
        }
        this.publicKey = publicKey;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!TiJwsAlgorithms.BP256R1.equals(header.getAlgorithm())) {
            return false;
        }
        byte[] raw = signature.decode();
        if (raw.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(Bp256r1Signer.JCA_ALGORITHM, BouncyCastle.provider());
            verifier.initVerify(publicKey);
            verifier.update(signingInput);
            return verifier.verify(raw);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
