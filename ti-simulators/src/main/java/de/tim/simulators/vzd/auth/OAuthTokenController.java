package de.tim.simulators.vzd.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.simulators.vzd.VzdProperties;

/**
 * The OAuth service of the directory (Keycloak realm TI-Provider): client credentials grant → ti-provider-accesstoken.
 * Errors are RFC 6749 §5.2 objects.
 */
@RestController
public class OAuthTokenController {

    private final OAuthClients clients;
    private final VzdTokens tokens;
    private final VzdProperties properties;

    public OAuthTokenController(OAuthClients clients, VzdTokens tokens, VzdProperties properties) {
        this.clients = clients;
        this.tokens = tokens;
        this.properties = properties;
    }

    /** POST /token and the Keycloak path /auth/realms/TI-Provider/protocol/openid-connect/token. */
    @PostMapping(path = {"/token", "/auth/realms/TI-Provider/protocol/openid-connect/token"},
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam Map<String, String> form,
                                                     @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith("basic ")) {
            String[] basic = decodeBasic(authorization.substring(6).trim());
            if (basic == null) {
                return error(HttpStatus.UNAUTHORIZED, "invalid_client", "malformed Basic credentials");
            }
            clientId = basic[0];
            secret = basic[1];
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return error(HttpStatus.BAD_REQUEST, "unsupported_grant_type", "only client_credentials is supported");
        }
        Optional<VzdProperties.Client> client = clients.authenticate(clientId, secret);
        if (client.isEmpty()) {
            return error(HttpStatus.UNAUTHORIZED, "invalid_client", "unknown client or wrong secret");
        }
        VzdTokens.Issued issued = tokens.issue(TokenKind.TI_PROVIDER, client.get().clientId(),
                properties.tiProviderTokenLifetime(),
                Map.of("clientId", client.get().clientId(), "scope", "ti-provider", "typ", "Bearer"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("expires_in", issued.expiresIn());
        body.put("token_type", "bearer");
        body.put("not-before-policy", 0);
        body.put("scope", "ti-provider");
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
    }

    private static String[] decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String description) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"TI-Provider\"");
        }
        return builder.body(Map.of("error", error, "error_description", description));
    }
}
