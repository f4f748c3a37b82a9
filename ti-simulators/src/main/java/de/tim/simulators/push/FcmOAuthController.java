package de.tim.simulators.push;

import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Google's OAuth 2.0 token endpoint for service accounts ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}):
 * the RS256 assertion of the simulated FCM service account is verified (signature, issuer, scope, expiry) and
 * an access token is issued, which the FCM endpoint then accepts.
 */
@RestController
public class FcmOAuthController {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FcmServiceAccount account;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();

    public FcmOAuthController(FcmServiceAccount account) {
        this.account = account;
    }

    /** {@code POST /push/oauth2/token}. */
    @PostMapping(path = "/push/oauth2/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> token(@RequestParam(name = "grant_type", required = false) String grantType,
                                              @RequestParam(name = "assertion", required = false) String assertion) {
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grantType)) {
            return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "Invalid grant_type");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(assertion == null ? "" : assertion);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(account.publicKey()))) {
                return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT Signature.");
            }
            if (!FcmServiceAccount.CLIENT_EMAIL.equals(claims.getIssuer())
                    || claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)
                    || !String.valueOf(claims.getClaim("scope")).contains(SCOPE)) {
                return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT: issuer, expiry or scope.");
            }
        } catch (ParseException | JOSEException | RuntimeException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant", "Invalid JWT.");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = "ya29.sim-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, clock.instant().plusSeconds(3600));
        return ResponseEntity.ok(Map.of("access_token", token, "expires_in", 3599, "token_type", "Bearer"));
    }

    /** Whether this endpoint issued the token and it has not expired. */
    boolean issuedAndValid(String token) {
        Instant until = issued.get(token);
        return until != null && until.isAfter(clock.instant());
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
        return ResponseEntity.status(status).body(Map.of("error", error, "error_description", description));
    }
}
