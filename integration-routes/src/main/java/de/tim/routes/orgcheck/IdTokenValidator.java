package de.tim.routes.orgcheck;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;

/**
 * Validates an ID_TOKEN of the central IDP: x5c chain to a TI root and signature (BP256R1/ES256), {@code iss},
 * {@code aud} (this service's client_id), {@code exp}, and the nonce this service handed out.
 */
@Component
public class IdTokenValidator {

    /** The identity an ID_TOKEN asserts. */
    public record Identity(String telematikId, String professionOid, String organizationName, String nonce) {
    }

    private final X5cJwsVerifier verifier;
    private final OrgCheckProperties properties;
    private final Clock clock;

    @Autowired
    public IdTokenValidator(OrgCheckProperties properties) {
        this(properties, Clock.systemUTC());
    }

    IdTokenValidator(OrgCheckProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        java.util.List<java.security.cert.X509Certificate> anchors = de.tim.routes.federationlist.TrustAnchorFiles.read(
                properties.idpTrustAnchors(), OrgCheckProperties.PREFIX + ".idp-trust-anchors");
        this.verifier = anchors.isEmpty() ? null : new X5cJwsVerifier(new CertificateChainValidator(anchors, clock),
                Set.<JWSAlgorithm>of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
    }

    /** @throws JwsVerificationException with a message safe to show the caller */
    public Identity validate(String idToken) throws JwsVerificationException {
        if (verifier == null) {
            throw new JwsVerificationException("no IDP trust anchors are configured");
        }
        JWTClaimsSet claims = verifier.verify(idToken).claims();
        if (!properties.idpIssuer().equals(claims.getIssuer())) {
            throw new JwsVerificationException("ID_TOKEN from an unexpected issuer");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(properties.idpClientId())) {
            throw new JwsVerificationException("ID_TOKEN is not meant for this service");
        }
        Date exp = claims.getExpirationTime();
        Instant now = clock.instant();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            throw new JwsVerificationException("ID_TOKEN has expired");
        }
        String nonce = text(claims, "nonce");
        String telematikId = text(claims, "idNummer");
        if (nonce == null || telematikId == null) {
            throw new JwsVerificationException("ID_TOKEN lacks nonce or idNummer");
        }
        return new Identity(telematikId, text(claims, "professionOID"), text(claims, "organizationName"), nonce);
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
