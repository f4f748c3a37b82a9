package de.tim.simulators.vzd.auth;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.Certificates;
import de.tim.simulators.pki.PkiProperties;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;

/**
 * Checks a RegService-OpenID-Token (FHIR_VZD_HOWTO_Authenticate): BP256R1 only, x5c chain to the TI roots, signer with
 * technical role oid_tim and registered with the directory, {@code aud} = …/owner-authenticate, {@code exp} in the
 * future, {@code iss} present, {@code idNummer} present.
 */
@Component
public class RegServiceTokenVerifier {

    /** A verified RegService-OpenID-Token's organisation. */
    public record Organisation(String telematikId, String professionOid) {
    }

    private final X5cJwsVerifier verifier;
    private final List<X509Certificate> registered;
    private final VzdBaseUrl baseUrl;
    private final Clock clock = Clock.systemUTC();

    public RegServiceTokenVerifier(TestPki pki, PkiProperties pkiProperties, VzdProperties properties, VzdBaseUrl baseUrl) {
        this.verifier = new X5cJwsVerifier(pki.chainValidator(), Set.of(TiJwsAlgorithms.BP256R1), pkiProperties.regServiceRoleOid());
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(pki.signer(SignerRole.REGSERVICE).certificate());
        for (Path pem : properties.registeredSignerCertificates()) {
            certificates.addAll(Certificates.readPem(pem));
        }
        this.registered = List.copyOf(certificates);
        this.baseUrl = baseUrl;
    }

    public Organisation verify(String token) {
        VerifiedJws verified;
        JWTClaimsSet claims;
        try {
            verified = verifier.verify(token);
            claims = verified.claims();
        } catch (JwsVerificationException e) {
            throw VzdException.unauthorized("invalid RegService-OpenID-Token: " + e.getMessage());
        }
        if (!registered.contains(verified.signer())) {
            throw VzdException.unauthorized("invalid RegService-OpenID-Token: signer certificate is not registered");
        }
        String audience = baseUrl.current() + "/owner-authenticate";
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw VzdException.unauthorized("invalid RegService-OpenID-Token: wrong audience");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
            throw VzdException.unauthorized("RegService-OpenID-Token expired");
        }
        if (claims.getIssuer() == null || claims.getIssuer().isBlank()) {
            throw VzdException.unauthorized("invalid RegService-OpenID-Token: no iss");
        }
        Object idNummer = claims.getClaim("idNummer");
        if (!(idNummer instanceof String telematikId) || telematikId.isBlank()) {
            throw VzdException.unauthorized("invalid RegService-OpenID-Token: no idNummer");
        }
        Object professionOid = claims.getClaim("professionOID");
        return new Organisation(telematikId, professionOid instanceof String s ? s : null);
    }
}
