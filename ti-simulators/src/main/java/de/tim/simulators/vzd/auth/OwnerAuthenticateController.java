package de.tim.simulators.vzd.auth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;
import de.tim.simulators.vzd.VzdRestApi;
import de.tim.simulators.vzd.fhir.FhirDirectory;

/**
 * Auth-Service owner login. With {@code Authorization: Bearer <RegService-OpenID-Token>}: owner-accesstoken for the
 * organisation in {@code idNummer}. Without: redirect to the IDP (code flow with PKCE); the IDP redirects back to
 * {@code /signin-gematik-idp-dienst}, which answers with an owner-accesstoken for the practitioner (HBA) or
 * organisation (SMC-B) of the ID_TOKEN's {@code idNummer}.
 */
@RestController
@VzdRestApi
public class OwnerAuthenticateController {

    private final RegServiceTokenVerifier regServiceTokens;
    private final OwnerLogins logins;
    private final IdpTokenClient idp;
    private final VzdTokens tokens;
    private final VzdBaseUrl baseUrl;
    private final VzdProperties properties;
    private final FhirDirectory directory;

    public OwnerAuthenticateController(RegServiceTokenVerifier regServiceTokens, OwnerLogins logins, IdpTokenClient idp,
                                       VzdTokens tokens, VzdBaseUrl baseUrl, VzdProperties properties, FhirDirectory directory) {
        this.regServiceTokens = regServiceTokens;
        this.logins = logins;
        this.idp = idp;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
        this.properties = properties;
        this.directory = directory;
    }

    /** GET /owner-authenticate. */
    @GetMapping(path = "/owner-authenticate", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> authenticate(
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam(name = "login_hint", required = false) String loginHint) {
        if (authorization != null) {
            RegServiceTokenVerifier.Organisation organisation = regServiceTokens.verify(BearerTokens.extract(authorization));
            if (directory.organizationByTelematikId(organisation.telematikId()).isEmpty()) {
                throw VzdException.forbidden("no Organization with this telematikID in the directory");
            }
            return ResponseEntity.ok(ownerToken(organisation.telematikId(), "organization"));
        }
        String redirectUri = baseUrl.current() + "/signin-gematik-idp-dienst";
        OwnerLogins.Started started = logins.start(redirectUri);
        UriComponentsBuilder location = UriComponentsBuilder.fromUriString(idp.idpBaseUrl() + "/authorize")
                .queryParam("response_type", "code")
                .queryParam("client_id", properties.idpClientId())
                .queryParam("redirect_uri", redirectUri)
                .queryParam("scope", "openid")
                .queryParam("state", started.state())
                .queryParam("nonce", started.login().nonce())
                .queryParam("code_challenge", s256(started.login().codeVerifier()))
                .queryParam("code_challenge_method", "S256");
        if (loginHint != null) {
            location.queryParam("login_hint", loginHint);
        }
        URI uri = location.encode().build().toUri();
        return ResponseEntity.status(HttpStatus.FOUND).location(uri).build();
    }

    /** GET /signin-gematik-idp-dienst?code=&amp;state= — the IDP's redirect target. */
    @GetMapping(path = "/signin-gematik-idp-dienst", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> signin(@RequestParam(name = "code", required = false) String code,
                                      @RequestParam(name = "state", required = false) String state,
                                      @RequestParam(name = "error", required = false) String error) {
        OwnerLogins.Pending login = logins.finish(state)
                .orElseThrow(() -> VzdException.badRequest("unknown or expired state"));
        if (error != null || code == null) {
            throw VzdException.unauthorized("the IDP did not authenticate the user: " + (error == null ? "no code" : error));
        }
        JWTClaimsSet claims = idp.redeem(code, login);
        String telematikId = VzdTokens.claim(claims, "idNummer");
        boolean practitioner = directory.all("Practitioner").stream()
                .map(org.hl7.fhir.r4.model.Practitioner.class::cast)
                .anyMatch(p -> FhirDirectory.hasTelematikId(p.getIdentifier(), telematikId));
        if (!practitioner && directory.organizationByTelematikId(telematikId).isEmpty()) {
            throw VzdException.forbidden("no directory entry with this telematikID");
        }
        return ownerToken(telematikId, practitioner ? "practitioner" : "organization");
    }

    private Map<String, Object> ownerToken(String telematikId, String ownerType) {
        VzdTokens.Issued issued = tokens.issue(TokenKind.OWNER, telematikId, properties.tokenLifetime(),
                Map.of("idNummer", telematikId, "ownerType", ownerType));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "bearer");
        body.put("expires_in", issued.expiresIn());
        return body;
    }

    private static String s256(String verifier) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
