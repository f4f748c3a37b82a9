package de.tim.routes.federationlist;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.CertificateChainValidator;
import de.tim.crypto.x509.Certificates;

/**
 * Verifies a federation list JWS from the VZD: allowed algorithm, x5c chain to a configured TI root, signature, and
 * a payload with an integer {@code version}, a {@code domainList} array and {@code iat <= now < exp}.
 */
@Component
public class FederationListVerifier {

    private final X5cJwsVerifier verifier;
    private final FederationListProperties properties;
    private final Clock clock;

    @org.springframework.beans.factory.annotation.Autowired
    public FederationListVerifier(FederationListProperties properties) {
        this(properties, Clock.systemUTC());
    }

    FederationListVerifier(FederationListProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        java.util.List<java.security.cert.X509Certificate> anchors = TrustAnchorFiles.read(properties.trustAnchors(),
                FederationListProperties.PREFIX + ".trust-anchors");
        Set<JWSAlgorithm> algorithms = properties.algorithms().stream().map(FederationListVerifier::algorithm)
                .collect(Collectors.toSet());
        String role = properties.signerRoleOid() == null || properties.signerRoleOid().isBlank() ? null : properties.signerRoleOid();
        this.verifier = anchors.isEmpty() ? null
                : new X5cJwsVerifier(new CertificateChainValidator(anchors, clock), algorithms, role);
    }

    private static JWSAlgorithm algorithm(String name) {
        if (TiJwsAlgorithms.BP256R1.getName().equalsIgnoreCase(name)) {
            return TiJwsAlgorithms.BP256R1;
        }
        if (JWSAlgorithm.ES256.getName().equalsIgnoreCase(name)) {
            return JWSAlgorithm.ES256;
        }
        throw new IllegalArgumentException(FederationListProperties.PREFIX + ".algorithms: only BP256R1 and ES256, not " + name);
    }

    /** @throws JwsVerificationException when the list must not be used */
    public FederationList verify(String compactJws) throws JwsVerificationException {
        if (verifier == null) {
            throw new JwsVerificationException("no trust anchors are configured (" + FederationListProperties.PREFIX + ".trust-anchors)");
        }
        VerifiedJws verified = verifier.verify(compactJws);
        JWTClaimsSet claims = verified.claims();
        Object version = claims.getClaim("version");
        if (!(version instanceof Number number) || number.longValue() < 0 || number.doubleValue() != number.longValue()) {
            throw new JwsVerificationException("payload has no integer version");
        }
        if (!(claims.getClaim("domainList") instanceof List<?> domains)) {
            throw new JwsVerificationException("payload has no domainList");
        }
        Instant now = clock.instant();
        Date iat = claims.getIssueTime();
        Date exp = claims.getExpirationTime();
        if (iat == null || exp == null) {
            throw new JwsVerificationException("payload lacks iat or exp");
        }
        if (iat.toInstant().isAfter(now.plus(properties.clockSkew()))) {
            throw new JwsVerificationException("iat lies in the future");
        }
        if (!exp.toInstant().isAfter(now)) {
            throw new JwsVerificationException("the list has expired");
        }
        return new FederationList(number.longValue(), compactJws, iat.toInstant(), exp.toInstant(), domains.size(), now);
    }
}
