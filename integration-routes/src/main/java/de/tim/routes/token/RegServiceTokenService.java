package de.tim.routes.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJws;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.routes.admin.AdminPrincipal;
import de.tim.routes.error.ApiException;
import de.tim.routes.orgcheck.OrganisationRepository;

/**
 * Issues RegService-OpenID-Tokens for Org-Admins: a JWT signed with the C.FD.SIG key ({@code alg} BP256R1,
 * {@code x5c}) with {@code sub}, {@code iss}, {@code aud} (VZD owner-authenticate), {@code professionOID},
 * {@code idNummer}, {@code iat}, {@code exp}; only for the admin's own, active organisation.
 */
@Service
public class RegServiceTokenService {

    /** An issued token. */
    public record Issued(String token, long expiresIn) {
    }

    private final IssuedCertificate signer;
    private final RegServiceTokenProperties properties;
    private final OrganisationRepository organisations;
    private final Clock clock;

    @Autowired
    public RegServiceTokenService(RegServiceTokenProperties properties, OrganisationRepository organisations) {
        this(signer(properties), properties, organisations, Clock.systemUTC());
    }

    RegServiceTokenService(IssuedCertificate signer, RegServiceTokenProperties properties, OrganisationRepository organisations,
                           Clock clock) {
        if (signer != null && TiJwsAlgorithms.curveOf(signer.certificate().getPublicKey()) != EcCurve.BRAINPOOL_P256R1) {
            throw new IllegalArgumentException(RegServiceTokenProperties.PREFIX + ".signer-key-store must hold a brainpoolP256r1 key (BP256R1)");
        }
        this.signer = signer;
        this.properties = properties;
        this.organisations = organisations;
        this.clock = clock;
    }

    private static IssuedCertificate signer(RegServiceTokenProperties properties) {
        if (properties.signerKeyStore() == null || !java.nio.file.Files.isRegularFile(properties.signerKeyStore())) {
            org.slf4j.LoggerFactory.getLogger(RegServiceTokenService.class).warn(
                    "{}.signer-key-store is not set or missing: no RegService-OpenID-Tokens are issued", RegServiceTokenProperties.PREFIX);
            return null;
        }
        String password = properties.signerKeyStorePassword() == null ? "" : properties.signerKeyStorePassword();
        return KeyStores.readKeyStore(properties.signerKeyStore(), password.toCharArray());
    }

    public Issued issue(AdminPrincipal admin) {
        if (signer == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NOT_CONFIGURED", "no token signer is configured");
        }
        OrganisationRepository.Organisation organisation = organisations.find(admin.telematikId())
                .orElseThrow(() -> new ApiException(HttpStatus.FORBIDDEN, "NOT_VERIFIED", "the organisation is not verified"));
        if (!organisation.active()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "ORGANISATION_INACTIVE",
                    "the organisation is inactive; a new authentication (AF_10103) is needed");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(organisation.telematikId())
                .issuer(properties.issuer())
                .audience(properties.audience())
                .claim("professionOID", organisation.professionOid())
                .claim("idNummer", organisation.telematikId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.lifetime())))
                .jwtID(UUID.randomUUID().toString())
                .build();
        return new Issued(TiJws.signJwt(signer, claims).serialize(), properties.lifetime().toSeconds());
    }
}
