package de.tim.crypto.jws;

import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.Base64;

import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.CertificateValidationException;
import de.tim.crypto.x509.Certificates;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.TiAdmission;

/**
 * Verifies a compact JWS signed with the key of its {@code x5c} leaf certificate: the algorithm must be allowed and fit
 * the leaf's curve, the x5c chain must validate (PKIX) to one of the trust anchors, the leaf must carry the required
 * role OID (if one is required), and the signature must verify. Immutable, thread-safe.
 *
 * <pre>{@code
 * X5cJwsVerifier verifier = new X5cJwsVerifier(new CertificateChainValidator(Certificates.readPem(rootPem)),
 *         Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
 * VerifiedJws federationList = verifier.verify(body);
 * }</pre>
 */
public final class X5cJwsVerifier {

    private final CertificateChainValidator chainValidator;
    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final String requiredRoleOid;

    /**
     * @param chainValidator    the trust anchors
     * @param allowedAlgorithms e.g. {@code BP256R1} only, or {@code BP256R1} and {@code ES256}
     * @param requiredRoleOid   a role OID the leaf's admission extension must carry, or {@code null}
     */
    public X5cJwsVerifier(CertificateChainValidator chainValidator, Set<JWSAlgorithm> allowedAlgorithms,
                          String requiredRoleOid) {
        this.chainValidator = chainValidator;
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.requiredRoleOid = requiredRoleOid;
    }

    public VerifiedJws verify(String compactJws) throws JwsVerificationException {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compactJws);
        } catch (ParseException | RuntimeException e) {
            throw new JwsVerificationException("not a compact JWS");
        }
        JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
        if (!allowedAlgorithms.contains(algorithm)) {
            throw new JwsVerificationException("algorithm " + algorithm + " is not allowed");
        }
        List<Base64> x5c = jws.getHeader().getX509CertChain();
        if (x5c == null || x5c.isEmpty()) {
            throw new JwsVerificationException("no x5c header");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Base64 der : x5c) {
                chain.add(Certificates.fromDer(der.decode()));
            }
        } catch (IllegalArgumentException e) {
            throw new JwsVerificationException("x5c holds an unparsable certificate");
        }
        X509Certificate leaf = chain.getFirst();
        EcCurve curve;
        try {
            curve = TiJwsAlgorithms.curveOf(leaf.getPublicKey());
        } catch (IllegalArgumentException e) {
            throw new JwsVerificationException("x5c leaf key is not a supported EC key");
        }
        if (!TiJwsAlgorithms.forCurve(curve).equals(algorithm)) {
            throw new JwsVerificationException("algorithm " + algorithm + " does not fit the " + curve + " signer key");
        }
        try {
            chainValidator.validate(chain);
        } catch (CertificateValidationException e) {
            throw new JwsVerificationException("x5c chain: " + e.getMessage(), e);
        }
        if (requiredRoleOid != null && !TiAdmission.hasRole(leaf, requiredRoleOid)) {
            throw new JwsVerificationException("signer certificate lacks role " + requiredRoleOid);
        }
        try {
            if (!jws.verify(TiJws.verifier(leaf.getPublicKey()))) {
                throw new JwsVerificationException("signature does not verify");
            }
        } catch (JOSEException | IllegalArgumentException e) {
            throw new JwsVerificationException("signature does not verify", e);
        }
        return new VerifiedJws(jws, chain);
    }
}
