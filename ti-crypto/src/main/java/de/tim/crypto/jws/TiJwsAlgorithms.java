package de.tim.crypto.jws;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Requirement;

import de.tim.crypto.x509.EcCurve;

/**
 * The JWS algorithms of the TI: {@code BP256R1} (ECDSA over brainpoolP256r1 with SHA-256, signature as R||S,
 * gemSpec_Krypt) and {@code ES256} (RFC 7518).
 */
public final class TiJwsAlgorithms {

    /** ECDSA on brainpoolP256r1 with SHA-256; the signature is the 64-byte concatenation R||S. */
    public static final JWSAlgorithm BP256R1 = new JWSAlgorithm("BP256R1", Requirement.OPTIONAL);

    private TiJwsAlgorithms() {
    }

    /** The JWS algorithm that signs with keys on {@code curve}. */
    public static JWSAlgorithm forCurve(EcCurve curve) {
        return switch (curve) {
            case BRAINPOOL_P256R1 -> BP256R1;
            case P256 -> JWSAlgorithm.ES256;
        };
    }

    /** The curve of an EC public key, if it is one of {@link EcCurve}. */
    public static EcCurve curveOf(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException("not an EC key: " + key.getAlgorithm());
        }
        int fieldSize = ec.getParams().getCurve().getField().getFieldSize();
        if (fieldSize != 256) {
            throw new IllegalArgumentException("unsupported EC field size " + fieldSize);
        }
        // brainpoolP256r1 and secp256r1 differ in their prime; compare against the brainpool one.
        java.math.BigInteger order = ec.getParams().getOrder();
        return order.equals(BRAINPOOL_ORDER) ? EcCurve.BRAINPOOL_P256R1 : EcCurve.P256;
    }

    private static final java.math.BigInteger BRAINPOOL_ORDER =
            new java.math.BigInteger("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7", 16);
}
