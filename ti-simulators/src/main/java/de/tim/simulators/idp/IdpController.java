package de.tim.simulators.idp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The central IDP simulator: OIDC discovery, JWKS, authorization code flow with PKCE (S256). The smartcard
 * interaction of the real IDP (challenge signing with the card's AUT key) is replaced by choosing a configured test
 * identity with {@code login_hint}. Errors are OAuth error objects.
 */
@RestController
@RequestMapping(path = "/idp", produces = MediaType.APPLICATION_JSON_VALUE)
public class IdpController {

    private final IdpProperties properties;
    private final IdpIdentities identities;
    private final AuthorizationCodes codes;
    private final IdpSigner signer;
    private final Clock clock = Clock.systemUTC();

    public IdpController(IdpProperties properties, IdpIdentities identities, AuthorizationCodes codes, IdpSigner signer) {
        this.properties = properties;
        this.identities = identities;
        this.codes = codes;
        this.signer = signer;
    }

    /** GET /idp/.well-known/openid-configuration. */
    @GetMapping("/.well-known/openid-configuration")
    public Map<String, Object> discovery() {
        String issuer = issuer();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("uri_puk_idp_sig", issuer + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code"));
        doc.put("subject_types_supported", List.of("pairwise"));
        doc.put("id_token_signing_alg_values_supported", List.of(signer.algorithm().getName()));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("scopes_supported", List.of("openid"));
        doc.put("token_endpoint_auth_methods_supported", List.of("none"));
        return doc;
    }

    /** GET /idp/jwks. */
    @GetMapping("/jwks")
    public Map<String, Object> jwks() {
        return signer.jwks();
    }

    /** GET /idp/authorize — authenticates the identity named by login_hint and redirects with a code. */
    @GetMapping("/authorize")
    public ResponseEntity<Map<String, Object>> authorize(@RequestParam Map<String, String> query) {
        String clientId = query.get("client_id");
        String redirectUri = query.get("redirect_uri");
        IdpProperties.Client client = properties.clients().stream().filter(c -> c.clientId().equals(clientId)).findFirst().orElse(null);
        if (client == null) {
            return error(HttpStatus.BAD_REQUEST, "unauthorized_client", "unknown client_id");
        }
        if (!StringUtils.hasText(redirectUri) || !(client.redirectUris().isEmpty() || client.redirectUris().contains(redirectUri))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "redirect_uri is missing or not registered");
        }
        String problem = null;
        if (!"code".equals(query.get("response_type"))) {
            problem = "unsupported_response_type";
        } else if (!"S256".equals(query.get("code_challenge_method")) || !StringUtils.hasText(query.get("code_challenge"))) {
            problem = "invalid_request";
        } else if (query.get("scope") == null || !List.of(query.get("scope").split(" ")).contains("openid")) {
            problem = "invalid_scope";
        }
        SmartcardIdentity identity = identities.find(query.get("login_hint")).orElse(null);
        if (problem == null && identity == null) {
            problem = "access_denied";
        }
        UriComponentsBuilder redirect = UriComponentsBuilder.fromUriString(redirectUri);
        if (problem != null) {
            redirect.queryParam("error", problem);
        } else {
            Instant now = clock.instant();
            String code = codes.create(new AuthorizationCodes.Grant(clientId, redirectUri, query.get("code_challenge"),
                    query.get("nonce"), identity, now, now.plus(properties.codeLifetime())));
            redirect.queryParam("code", code);
        }
        if (query.get("state") != null) {
            redirect.queryParam("state", query.get("state"));
        }
        URI location = redirect.encode().build().toUri();
        return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
    }

    /** POST /idp/token — authorization_code grant with PKCE; returns the ID_TOKEN. */
    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam Map<String, String> form) {
        if (!"authorization_code".equals(form.get("grant_type"))) {
            return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "only authorization_code is supported");
        }
        AuthorizationCodes.Grant grant = codes.redeem(form.get("code")).orElse(null);
        if (grant == null) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "unknown, used or expired code");
        }
        if (!grant.clientId().equals(form.get("client_id")) || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "client_id or redirect_uri do not match the code");
        }
        String verifier = form.get("code_verifier");
        if (verifier == null || !grant.codeChallenge().equals(s256(verifier))) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "code_verifier does not match the code_challenge");
        }
        Instant now = clock.instant();
        SmartcardIdentity id = grant.identity();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(pairwiseSubject(id.telematikId(), grant.clientId()))
                .audience(grant.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.tokenLifetime())))
                .jwtID(UUID.randomUUID().toString())
                .claim("auth_time", grant.authTime().getEpochSecond())
                .claim("acr", "gematik-ehealth-loa-high")
                .claim("amr", List.of("mfa", "sc", "pin"))
                .claim("azp", grant.clientId())
                .claim("professionOID", id.professionOid())
                .claim("idNummer", id.telematikId());
        if (grant.nonce() != null) {
            claims.claim("nonce", grant.nonce());
        }
        if (id.givenName() != null) {
            claims.claim("given_name", id.givenName());
        }
        if (id.familyName() != null) {
            claims.claim("family_name", id.familyName());
        }
        if (id.organizationName() != null) {
            claims.claim("organizationName", id.organizationName());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id_token", signer.sign(claims.build()));
        body.put("access_token", UUID.randomUUID().toString());
        body.put("token_type", "Bearer");
        body.put("expires_in", properties.tokenLifetime().toSeconds());
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
    }

    private String issuer() {
        if (StringUtils.hasText(properties.issuer())) {
            return properties.issuer();
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/idp").toUriString();
    }

    static String s256(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pairwiseSubject(String telematikId, String clientId) {
        return s256(telematikId + "|" + clientId);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
        return ResponseEntity.status(status).body(Map.of("error", error, "error_description", description));
    }
}
