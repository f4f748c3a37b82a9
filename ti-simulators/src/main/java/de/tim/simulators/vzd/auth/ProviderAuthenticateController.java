package de.tim.simulators.vzd.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;
import de.tim.simulators.vzd.VzdRestApi;

/** Auth-Service: exchanges a ti-provider-accesstoken for a provider-accesstoken. */
@RestController
@VzdRestApi
public class ProviderAuthenticateController {

    private final VzdTokens tokens;
    private final OAuthClients clients;
    private final VzdProperties properties;

    public ProviderAuthenticateController(VzdTokens tokens, OAuthClients clients, VzdProperties properties) {
        this.tokens = tokens;
        this.clients = clients;
        this.properties = properties;
    }

    /** GET /ti-provider-authenticate with {@code Authorization: Bearer <ti-provider-accesstoken>}. */
    @GetMapping(path = "/ti-provider-authenticate", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> authenticate(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        JWTClaimsSet claims = tokens.require(TokenKind.TI_PROVIDER, authorization);
        String clientId = VzdTokens.claim(claims, "clientId");
        if (clients.find(clientId).isEmpty()) {
            throw VzdException.forbidden("client is not registered");
        }
        VzdTokens.Issued issued = tokens.issue(TokenKind.PROVIDER, clientId, properties.tokenLifetime(),
                Map.of("clientId", clientId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("client_id", clientId);
        body.put("token_type", "bearer");
        body.put("expires_in", issued.expiresIn());
        return body;
    }
}
