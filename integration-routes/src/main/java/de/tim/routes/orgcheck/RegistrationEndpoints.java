package de.tim.routes.orgcheck;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.admin.AdminPrincipal;
import de.tim.routes.admin.AdminService;
import de.tim.routes.error.ApiException;
import de.tim.routes.token.RegServiceTokenService;

/** The admin portal's REST API: onboarding (AF_10103 method 1), Org-Admin login, RegService-OpenID-Token. */
@RestController
@RequestMapping(path = "/registration/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class RegistrationEndpoints {

    /** Body of POST /onboarding/idp. */
    public record IdpOnboarding(String idToken, String username, String password, String kimAddress) {
    }

    /** Body of POST /admin/login. */
    public record Login(String username, String password, String totp) {
    }

    private final OnboardingService onboarding;
    private final AdminService admins;
    private final OrganisationRepository organisations;
    private final RegServiceTokenService tokens;

    public RegistrationEndpoints(OnboardingService onboarding, AdminService admins, OrganisationRepository organisations,
                                 RegServiceTokenService tokens) {
        this.onboarding = onboarding;
        this.admins = admins;
        this.organisations = organisations;
        this.tokens = tokens;
    }

    /** POST /registration/v1/onboarding/nonce: a single-use nonce for the IDP authentication. */
    @PostMapping("/onboarding/nonce")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> nonce() {
        return Map.of("nonce", onboarding.newNonce());
    }

    /** POST /registration/v1/onboarding/idp: verify the organisation by its ID_TOKEN and create its admin. */
    @PostMapping(path = "/onboarding/idp", consumes = MediaType.APPLICATION_JSON_VALUE)
    public org.springframework.http.ResponseEntity<Map<String, Object>> onboardIdp(@RequestBody(required = false) IdpOnboarding body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body with idToken, username and password is required");
        }
        OnboardingService.Onboarded done = onboarding.onboardWithIdToken(body.idToken(), body.username(), body.password(),
                body.kimAddress());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("telematikId", done.telematikId());
        answer.put("professionOid", done.professionOid());
        if (done.reactivated()) {
            answer.put("reactivated", true);
            return org.springframework.http.ResponseEntity.ok(answer);
        }
        answer.put("username", done.admin().username());
        answer.put("totpSecret", done.admin().totpSecret());
        answer.put("otpauthUri", done.admin().otpauthUri());
        return org.springframework.http.ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    /** POST /registration/v1/admin/login: password and TOTP → session token. */
    @PostMapping(path = "/admin/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> login(@RequestBody(required = false) Login body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body with username, password and totp is required");
        }
        AdminService.Session session = admins.login(body.username(), body.password(), body.totp());
        return Map.of("access_token", session.accessToken(), "token_type", "Bearer", "expires_in", session.expiresIn());
    }

    /** GET /registration/v1/organisation: the admin's own organisation. */
    @GetMapping("/organisation")
    public OrganisationRepository.Organisation organisation(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        AdminPrincipal admin = admins.authenticate(authorization);
        return organisations.find(admin.telematikId())
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "organisation not found"));
    }

    /** POST /registration/v1/tokens/regservice-openid-token: I_requestToken for the admin's organisation. */
    @PostMapping("/tokens/regservice-openid-token")
    public Map<String, Object> regServiceToken(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        RegServiceTokenService.Issued issued = tokens.issue(admins.authenticate(authorization));
        return Map.of("token", issued.token(), "expires_in", issued.expiresIn());
    }
}
