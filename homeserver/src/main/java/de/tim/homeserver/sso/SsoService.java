package de.tim.homeserver.sso;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jwt.JWTClaimsSet;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.auth.UiaService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainProperties;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * {@code m.login.sso} against the domain's OpenID Connect provider: authorization code flow with PKCE
 * (S256), state and nonce; the mapped claim becomes the localpart. The client receives a single-use
 * login token at its {@code redirectUrl} and exchanges it with {@code m.login.token}.
 */
@Service
public class SsoService {

    /** Path of the OIDC redirect URI under the domain's public base URL (as in Synapse). */
    public static final String CALLBACK_PATH = "/_synapse/client/oidc/callback";
    private static final long SESSION_LIFETIME_MS = 10 * 60_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OidcSessionRepository sessions;
    private final OidcProviderClient provider;
    private final UserService users;
    private final TokenService tokens;
    private final UiaService uia;

    SsoService(OidcSessionRepository sessions, OidcProviderClient provider, UserService users, TokenService tokens,
            UiaService uia) {
        this.uia = uia;
        this.sessions = sessions;
        this.provider = provider;
        this.users = users;
        this.tokens = tokens;
    }

    /** The identity providers of {@code GET /login} ({@code m.login.sso}); empty without OIDC. */
    public List<Map<String, Object>> identityProviders(Domain domain) {
        return domain.oidc() == null ? List.of() : List.of(Map.of("id", domain.oidc().idpId(), "name", domain.oidc().idpName()));
    }

    /** {@code GET /login/sso/redirect[/{idpId}]}: where to send the browser. */
    public URI start(Domain domain, String idpId, String redirectUrl) {
        DomainProperties.Oidc oidc = requireOidc(domain, idpId);
        if (redirectUrl == null || redirectUrl.isEmpty()) {
            throw MatrixException.missingParam("Missing redirectUrl");
        }
        if (oidc.allowedClientRedirects().stream().noneMatch(prefix -> allowed(prefix, redirectUrl))) {
            throw MatrixException.forbidden("redirectUrl is not allowed");
        }
        return authorization(domain, oidc, new Document("redirect_url", redirectUrl));
    }

    /**
     * {@code GET /auth/m.login.sso/fallback/web?session=}: re-authentication of an SSO user for UIA. The
     * provider's callback then completes the stage in that UIA session.
     */
    public URI startUiaFallback(Domain domain, String uiaSession) {
        DomainProperties.Oidc oidc = requireOidc(domain, null);
        if (uiaSession == null || uia.sessionUser(domain, uiaSession).isEmpty()) {
            throw MatrixException.notFound("Unknown or expired UIA session");
        }
        return authorization(domain, oidc, new Document("uia_session", uiaSession));
    }

    private URI authorization(Domain domain, DomainProperties.Oidc oidc, Document session) {
        String state = random(24);
        String nonce = random(24);
        String verifier = random(48);
        long now = System.currentTimeMillis();
        sessions.insert(domain.database(), session.append("_id", state).append("nonce", nonce).append("verifier", verifier)
                .append("created_ts", now), now - SESSION_LIFETIME_MS);
        OidcProviderClient.Endpoints endpoints = provider.endpoints(domain);
        String separator = endpoints.authorization().contains("?") ? "&" : "?";
        return URI.create(endpoints.authorization() + separator
                + "response_type=code&client_id=" + enc(oidc.clientId())
                + "&redirect_uri=" + enc(callbackUri(domain))
                + "&scope=" + enc(oidc.scopes())
                + "&state=" + enc(state) + "&nonce=" + enc(nonce)
                + "&code_challenge=" + enc(challenge(verifier)) + "&code_challenge_method=S256");
    }

    /** Outcome of the provider's redirect back: a client redirect with a login token, or a completed UIA stage. */
    public record CallbackResult(URI clientRedirect, boolean uiaCompleted) {
    }

    /**
     * The provider's redirect back: validates; for a login provisions the user if configured and returns the
     * client redirect; for a UIA fallback completes the session's {@code m.login.sso} stage.
     */
    public CallbackResult callback(Domain domain, String state, String code, String error) {
        DomainProperties.Oidc oidc = requireOidc(domain, null);
        if (state == null) {
            throw MatrixException.missingParam("Missing state");
        }
        Document session = sessions.take(domain.database(), state);
        if (session == null || session.get("created_ts", 0L) + SESSION_LIFETIME_MS < System.currentTimeMillis()) {
            throw MatrixException.forbidden("Unknown or expired login session");
        }
        if (error != null || code == null) {
            throw MatrixException.forbidden("Login at the identity provider failed");
        }
        JWTClaimsSet claims = provider.exchange(domain, code, session.getString("verifier"), callbackUri(domain),
                session.getString("nonce"));
        String localpart = claim(claims, oidc.localpartClaim())
                .map(v -> v.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> MatrixException.forbidden("The identity provider did not send " + oidc.localpartClaim()));
        if (!MatrixIds.isValidNewLocalpart(localpart, domain.serverName())) {
            throw new MatrixException(403, MatrixErrorCodes.M_INVALID_USERNAME, "Claim is not a valid Matrix localpart");
        }
        String userId = domain.userId(localpart);
        String uiaSession = session.getString("uia_session");
        if (uiaSession != null) {
            uia.completeSso(domain, uiaSession, userId);
            return new CallbackResult(null, true);
        }
        Optional<User> user = users.find(domain, userId);
        if (user.isEmpty()) {
            if (!oidc.autoCreateUsers()) {
                throw MatrixException.forbidden("No account for this user");
            }
            try {
                users.create(domain, localpart, null, claim(claims, oidc.displaynameClaim()).orElse(null), false, null);
            } catch (MatrixException e) {
                if (!MatrixErrorCodes.M_USER_IN_USE.equals(e.errcode())) {
                    throw e;
                }
            }
        } else if (user.get().deactivated()) {
            throw new MatrixException(403, MatrixErrorCodes.M_USER_DEACTIVATED, "User is deactivated");
        }
        String loginToken = tokens.mintLoginToken(domain, userId).accessToken();
        String redirect = session.getString("redirect_url");
        return new CallbackResult(URI.create(redirect + (redirect.contains("?") ? "&" : "?") + "loginToken=" + enc(loginToken)),
                false);
    }

    /** {@code url} starts with {@code prefix} at a boundary, so {@code https://a.example} does not admit {@code https://a.example.evil}. */
    static boolean allowed(String prefix, String url) {
        if (!url.startsWith(prefix)) {
            return false;
        }
        if (url.length() == prefix.length() || prefix.endsWith("/") || prefix.endsWith("?") || prefix.endsWith("#")) {
            return true;
        }
        char next = url.charAt(prefix.length());
        return next == '/' || next == '?' || next == '#';
    }

    private static DomainProperties.Oidc requireOidc(Domain domain, String idpId) {
        DomainProperties.Oidc oidc = domain.oidc();
        if (oidc == null || (idpId != null && !idpId.equals(oidc.idpId()))) {
            throw MatrixException.notFound("No such identity provider");
        }
        return oidc;
    }

    static String callbackUri(Domain domain) {
        return domain.publicBaseUrl().replaceAll("/+$", "") + CALLBACK_PATH;
    }

    private static Optional<String> claim(JWTClaimsSet claims, String name) {
        try {
            return Optional.ofNullable(claims.getStringClaim(name)).filter(s -> !s.isBlank());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
