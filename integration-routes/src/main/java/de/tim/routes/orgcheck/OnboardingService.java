package de.tim.routes.orgcheck;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.routes.admin.AdminService;
import de.tim.routes.error.ApiException;

/**
 * AF_10103 method 1: an Org-Admin authenticates with the organisation's SMC-B at the central IDP, using a nonce from
 * this service; the ID_TOKEN is validated, its ProfessionOID must be an institution OID (Tab_PKI_403), and the
 * organisation (telematikID, ProfessionOID) is stored with its initial admin account. Once the organisation has an
 * admin account, a second initial authentication is refused.
 *
 * <p>Writes are ordered and idempotent instead of transactional: the organisation is upserted first, the admin account
 * (unique per organisation) second; a crash in between leaves a verified organisation without admin, which the next
 * onboarding completes.
 */
@Service
public class OnboardingService {

    private static final Logger log = LoggerFactory.getLogger(OnboardingService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Result of an onboarding. */
    public record Onboarded(String telematikId, String professionOid, AdminService.Enrolment admin, boolean reactivated) {
    }

    private final IdTokenValidator idTokens;
    private final InstitutionProfessionOids institutionOids;
    private final OrganisationRepository organisations;
    private final AdminService admins;
    private final OrgCheckProperties properties;
    private final Clock clock;

    @Autowired
    public OnboardingService(IdTokenValidator idTokens, InstitutionProfessionOids institutionOids,
                             OrganisationRepository organisations, AdminService admins, OrgCheckProperties properties) {
        this(idTokens, institutionOids, organisations, admins, properties, Clock.systemUTC());
    }

    OnboardingService(IdTokenValidator idTokens, InstitutionProfessionOids institutionOids,
                      OrganisationRepository organisations, AdminService admins, OrgCheckProperties properties, Clock clock) {
        this.idTokens = idTokens;
        this.institutionOids = institutionOids;
        this.organisations = organisations;
        this.admins = admins;
        this.properties = properties;
        this.clock = clock;
    }

    /** A single-use nonce for the IDP authentication request. */
    public String newNonce() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        organisations.purgeNonces(now);
        organisations.storeNonce(nonce, now.plus(properties.nonceLifetime()));
        return nonce;
    }

    public Onboarded onboardWithIdToken(String idToken, String username, String password, String kimAddress) {
        if (idToken == null || idToken.isBlank()) {
            throw ApiException.badRequest("idToken is required");
        }
        admins.validateCredentials(username, password);
        IdTokenValidator.Identity identity;
        try {
            identity = idTokens.validate(idToken.trim());
        } catch (JwsVerificationException e) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_ID_TOKEN", "ID_TOKEN refused: " + e.getMessage());
        }
        if (!organisations.consumeNonce(identity.nonce(), clock.instant())) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_NONCE", "the nonce is unknown, used or expired");
        }
        if (!institutionOids.isInstitution(identity.professionOid())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "NOT_AN_INSTITUTION",
                    "the ProfessionOID is not an institution OID (gemSpec_OID Tab_PKI_403)");
        }
        if (kimAddress != null && !kimAddress.matches("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,190}")) {
            throw ApiException.badRequest("kimAddress is not a mail address");
        }
        return complete(identity.telematikId(), identity.professionOid(), identity.organizationName(), "IDP", kimAddress,
                username, password);
    }

    /**
     * The common end of both AF_10103 methods once the organisation is verified: store it (reactivating an inactive one
     * that already has an admin, A_23094) and create its initial admin account; a second initial authentication of an
     * active organisation with an admin is refused.
     */
    Onboarded complete(String telematikId, String professionOid, String name, String method, String kimAddress,
                       String username, String password) {
        admins.ensureAvailable();
        if (admins.organisationHasAdmin(telematikId)) {
            OrganisationRepository.Organisation known = organisations.find(telematikId).orElse(null);
            if (known != null && !known.active()) {
                // A_23094: an inactive organisation is reactivated only through a new AF_10103 authentication
                organisations.verified(telematikId, professionOid, name, method,
                        kimAddress != null ? kimAddress : known.kimAddress(), clock.instant());
                log.info("inactive organisation reactivated by a new {} authentication", method);
                return new Onboarded(telematikId, professionOid, null, true);
            }
            throw new ApiException(HttpStatus.CONFLICT, "ADMIN_EXISTS",
                    "the organisation already has an admin account; no second initial authentication");
        }
        organisations.verified(telematikId, professionOid, name, method, kimAddress, clock.instant());
        AdminService.Enrolment admin = admins.createInitialAdmin(telematikId, username, password);
        log.info("organisation verified by {} authentication, initial admin account created", method);
        return new Onboarded(telematikId, professionOid, admin, false);
    }
}
