package de.tim.routes.orgcheck;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import de.tim.routes.admin.AdminService;
import de.tim.routes.error.ApiException;
import de.tim.routes.vzdsearch.VzdDirectory;

/**
 * AF_10103 method 2: the Org-Admin names the organisation's KIM address; this service looks the address up in the
 * VZD-FHIR-Directory (the KIM Endpoint and its managing Organization give telematikID, ProfessionOID and whether the
 * SMC-B's entry is active — the Org-Admin names neither), checks the ProfessionOID against the institution OIDs and
 * sends a KIM mail with a one-time link to that address. Only who can read that mailbox (the holder of the SMC-B the
 * KIM message is encrypted for) learns the token. Confirming the link with username and password verifies the
 * organisation and creates its admin account exactly as method 1 does.
 *
 * <p>The token (32 random bytes) is stored only as its SHA-256; it expires after {@code kim-link-lifetime}, works once,
 * and is used up only when the admin account is created (a refused password does not burn it).
 */
@Service
public class KimOnboardingService {

    private static final Logger log = LoggerFactory.getLogger(KimOnboardingService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern MAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,190}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** Answer of a link request. */
    public record Requested(String kimAddress, long expiresIn) {
    }

    /** What a valid link stands for (shown before the Org-Admin chooses credentials). */
    public record Pending(String telematikId, String organisationName, Instant expiresAt) {
    }

    private final VzdDirectory directory;
    private final InstitutionProfessionOids institutionOids;
    private final KimConfirmationRepository confirmations;
    private final OnboardingService onboarding;
    private final AdminService admins;
    private final OrganisationRepository organisations;
    private final OrgCheckProperties properties;
    private final ProducerTemplate template;
    private final Clock clock;

    @Autowired
    public KimOnboardingService(VzdDirectory directory, InstitutionProfessionOids institutionOids,
                                KimConfirmationRepository confirmations, OnboardingService onboarding, AdminService admins,
                                OrganisationRepository organisations, OrgCheckProperties properties, ProducerTemplate template) {
        this.directory = directory;
        this.institutionOids = institutionOids;
        this.confirmations = confirmations;
        this.onboarding = onboarding;
        this.admins = admins;
        this.organisations = organisations;
        this.properties = properties;
        this.template = template;
        this.clock = Clock.systemUTC();
    }

    /** Looks the KIM address up and sends the confirmation link to it. */
    public Requested requestLink(String kimAddress) {
        if (kimAddress == null || !MAIL.matcher(kimAddress.trim()).matches()) {
            throw ApiException.badRequest("kimAddress must be a KIM mail address");
        }
        String address = kimAddress.trim().toLowerCase(Locale.ROOT);
        if (!directory.configured()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NOT_CONFIGURED",
                    "KIM authentication is not configured (directory search)");
        }
        VzdDirectory.DirectoryOrganisation organisation;
        try {
            organisation = directory.organisationByKimAddress(address)
                    .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "KIM_ADDRESS_UNKNOWN",
                            "no organisation with this KIM address in the VZD-FHIR-Directory"));
        } catch (VzdDirectory.AmbiguousEntryException e) {
            throw new ApiException(HttpStatus.CONFLICT, "KIM_ADDRESS_AMBIGUOUS", e.getMessage());
        }
        if (organisation.telematikId() == null) {
            throw new ApiException(HttpStatus.FORBIDDEN, "NOT_AN_INSTITUTION", "the directory entry has no telematikID");
        }
        if (!organisation.active()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "ORGANISATION_INACTIVE",
                    "the organisation is not active in the VZD-FHIR-Directory (SMC-B not valid)");
        }
        if (!institutionOids.isInstitution(organisation.professionOid())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "NOT_AN_INSTITUTION",
                    "the ProfessionOID is not an institution OID (gemSpec_OID Tab_PKI_403)");
        }
        refuseSecondInitialAuthentication(organisation.telematikId());
        admins.ensureAvailable();

        Instant now = clock.instant();
        if (confirmations.pendingSince(address, now.minus(properties.kimResendInterval()), now)) {
            // no mail flood to an organisation's mailbox: one link per resend interval while it is still usable
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "LINK_PENDING",
                    "a confirmation link was sent to this KIM address moments ago; use it or try again later");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(properties.kimLinkLifetime());
        confirmations.purge(now);
        String hash = hash(token);
        confirmations.store(hash, organisation.telematikId(), organisation.professionOid(), organisation.name(), address, now,
                expiresAt);
        String link = properties.kimConfirmationUrl().replace("{token}", token);
        String text = """
                Guten Tag,

                für Ihre Organisation wurde die Registrierung beim TI-Messenger-Dienst angefragt.
                Bitte bestätigen Sie die Anfrage über diesen Link (gültig bis %s UTC, nur einmal verwendbar):

                %s

                Wenn Sie die Registrierung nicht angefragt haben, ignorieren Sie diese Nachricht.
                """.formatted(expiresAt.toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "").replace("Z", ""), link);
        Exchange sent = template.request(KimConfirmationRoute.SEND, e -> {
            e.getIn().setHeaders(Map.of("To", address, "Subject", "TI-Messenger: Bestätigung der Registrierung Ihrer Organisation"));
            e.getIn().setBody(text);
        });
        if (sent.getException() != null) {
            confirmations.delete(hash);
            log.warn("KIM confirmation mail could not be sent ({})", sent.getException().getClass().getSimpleName());
            throw new ApiException(HttpStatus.BAD_GATEWAY, "KIM_FAILED", "the KIM mail could not be sent");
        }
        log.info("KIM confirmation link sent for AF_10103 method 2");
        return new Requested(address, properties.kimLinkLifetime().toSeconds());
    }

    /** What an unused, unexpired link stands for; the link stays usable. */
    public Pending inspect(String token) {
        KimConfirmationRepository.Confirmation confirmation = usable(token);
        return new Pending(confirmation.telematikId(), confirmation.name(), confirmation.expiresAt());
    }

    /** Confirms the link: the organisation is verified and its initial admin account created (as in method 1). */
    public OnboardingService.Onboarded confirm(String token, String username, String password) {
        admins.validateCredentials(username, password);
        KimConfirmationRepository.Confirmation confirmation = usable(token);
        if (!institutionOids.isInstitution(confirmation.professionOid())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "NOT_AN_INSTITUTION",
                    "the ProfessionOID is not an institution OID (gemSpec_OID Tab_PKI_403)");
        }
        if (!confirmations.markUsed(confirmation.tokenHash(), clock.instant())) {
            throw linkUsed();
        }
        try {
            return onboarding.complete(confirmation.telematikId(), confirmation.professionOid(), confirmation.name(), "KIM",
                    confirmation.kimAddress(), username, password);
        } catch (ApiException e) {
            if ("USERNAME_TAKEN".equals(e.error().errorCode())) {
                // nothing was written: the Org-Admin may choose another name with the same link
                confirmations.unmarkUsed(confirmation.tokenHash());
            }
            throw e;
        }
    }

    private KimConfirmationRepository.Confirmation usable(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "LINK_UNKNOWN", "the confirmation link is unknown");
        }
        KimConfirmationRepository.Confirmation confirmation = confirmations.find(hash(token))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "LINK_UNKNOWN", "the confirmation link is unknown"));
        if (confirmation.usedAt() != null) {
            throw linkUsed();
        }
        if (!confirmation.expiresAt().isAfter(clock.instant())) {
            throw new ApiException(HttpStatus.GONE, "LINK_EXPIRED",
                    "the confirmation link has expired; request a new one");
        }
        return confirmation;
    }

    private void refuseSecondInitialAuthentication(String telematikId) {
        if (admins.organisationHasAdmin(telematikId)
                && organisations.find(telematikId).map(OrganisationRepository.Organisation::active).orElse(true)) {
            throw new ApiException(HttpStatus.CONFLICT, "ADMIN_EXISTS",
                    "the organisation already has an admin account; no second initial authentication");
        }
    }

    private static ApiException linkUsed() {
        return new ApiException(HttpStatus.GONE, "LINK_USED", "the confirmation link has been used already");
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
