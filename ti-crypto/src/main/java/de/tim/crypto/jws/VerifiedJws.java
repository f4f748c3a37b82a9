package de.tim.crypto.jws;

import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * A JWS whose x5c chain validated to a trust anchor and whose signature verified with the leaf's key.
 *
 * @param jws    the parsed JWS
 * @param chain  the x5c chain, leaf (signer) first
 */
public record VerifiedJws(JWSObject jws, List<X509Certificate> chain) {

    public VerifiedJws {
        chain = List.copyOf(chain);
    }

    public X509Certificate signer() {
        return chain.getFirst();
    }

    /** The payload as JWT claims. */
    public JWTClaimsSet claims() throws JwsVerificationException {
        try {
            return JWTClaimsSet.parse(jws.getPayload().toJSONObject());
        } catch (ParseException | RuntimeException e) {
            throw new JwsVerificationException("payload is not a JWT claims set", e);
        }
    }
}
