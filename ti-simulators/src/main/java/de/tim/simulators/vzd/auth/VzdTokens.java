package de.tim.simulators.vzd.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.TiJws;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.VzdException;

/** Issues and checks the directory's access tokens (ES256 JWTs with x5c, signed by the VZD token signer). */
@Component
public class VzdTokens {

    private final IssuedCertificate signer;
    private final X5cJwsVerifier verifier;
    private final VzdBaseUrl baseUrl;
    private final Clock clock = Clock.systemUTC();

    public VzdTokens(TestPki pki, VzdBaseUrl baseUrl) {
        this.signer = pki.signer(SignerRole.VZD_TOKEN);
        this.verifier = new X5cJwsVerifier(pki.chainValidator(), Set.of(JWSAlgorithm.ES256), null);
        this.baseUrl = baseUrl;
    }

    /** An issued token with its lifetime in seconds. */
    public record Issued(String token, long expiresIn) {
    }

    public Issued issue(TokenKind kind, String subject, Duration lifetime, Map<String, Object> extraClaims) {
        Instant now = clock.instant();
        String base = baseUrl.current();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(base + kind.issuerPath())
                .audience(base + kind.audiencePath())
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        extraClaims.forEach(claims::claim);
        return new Issued(TiJws.signJwt(signer, claims.build()).serialize(), lifetime.toSeconds());
    }

    /**
     * Checks an {@code Authorization: Bearer} header value for a token of {@code kind}.
     *
     * @throws VzdException 401 when the token is missing, malformed, not ours, expired or for another audience
     */
    public JWTClaimsSet require(TokenKind kind, String authorization) {
        String token = BearerTokens.extract(authorization);
        VerifiedJws verified;
        try {
            verified = verifier.verify(token);
        } catch (JwsVerificationException e) {
            throw VzdException.unauthorized("invalid access token: " + e.getMessage());
        }
        if (!verified.signer().equals(signer.certificate())) {
            throw VzdException.unauthorized("invalid access token: not issued by this directory");
        }
        JWTClaimsSet claims;
        try {
            claims = verified.claims();
        } catch (JwsVerificationException e) {
            throw VzdException.unauthorized("invalid access token: no claims");
        }
        String base = baseUrl.current();
        if (claims.getAudience() == null || !claims.getAudience().contains(base + kind.audiencePath())) {
            throw VzdException.unauthorized("invalid access token: wrong audience");
        }
        if (!(base + kind.issuerPath()).equals(claims.getIssuer())) {
            throw VzdException.unauthorized("invalid access token: wrong issuer");
        }
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
            throw VzdException.unauthorized("access token expired");
        }
        return claims;
    }

    /** A string claim or 401. */
    public static String claim(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            if (value == null) {
                throw VzdException.unauthorized("access token lacks claim " + name);
            }
            return value;
        } catch (ParseException e) {
            throw VzdException.unauthorized("access token claim " + name + " is not a string");
        }
    }
}
