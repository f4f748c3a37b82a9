package de.tim.simulators.vzd.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;
import de.tim.simulators.vzd.VzdRestApi;
import de.tim.simulators.vzd.federation.FederationRegistry;

/**
 * Auth-Service: exchanges a Matrix-OpenID-Token for a search-accesstoken. The issuing server must be on the federation
 * list, and must confirm the token at its userinfo endpoint for a user of that server.
 */
@RestController
@VzdRestApi
public class TimAuthenticateController {

    private final FederationRegistry federation;
    private final MatrixUserInfoClient userInfo;
    private final VzdTokens tokens;
    private final VzdProperties properties;

    public TimAuthenticateController(FederationRegistry federation, MatrixUserInfoClient userInfo, VzdTokens tokens,
                                     VzdProperties properties) {
        this.federation = federation;
        this.userInfo = userInfo;
        this.tokens = tokens;
        this.properties = properties;
    }

    /** GET /tim-authenticate?mxId=&lt;server name&gt; with header {@code X-Matrix-OpenID-Token}. */
    @GetMapping(path = "/tim-authenticate", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> authenticate(@RequestParam(name = "mxId", required = false) String serverName,
                                            @RequestHeader(name = "X-Matrix-OpenID-Token", required = false) String openIdToken) {
        if (serverName == null || serverName.isBlank()) {
            throw VzdException.badRequest("parameter mxId (the Matrix server name) is required");
        }
        if (openIdToken == null || openIdToken.isBlank()) {
            throw VzdException.unauthorized("header X-Matrix-OpenID-Token is required");
        }
        // the parameter is the Matrix server name; tolerate a full MXID (@local:server)
        String server = serverName.trim();
        if (server.startsWith("@") && server.indexOf(':') > 0) {
            server = server.substring(server.indexOf(':') + 1);
        }
        boolean insurance = federation.find(server)
                .orElseThrow(() -> VzdException.forbidden("Matrix domain is not on the federation list"))
                .isInsurance();
        String homeserver = server;
        String userId = userInfo.userId(homeserver, openIdToken.trim())
                .orElseThrow(() -> VzdException.unauthorized("Matrix-OpenID-Token was not confirmed by its homeserver"));
        if (!userId.endsWith(":" + homeserver)) {
            throw VzdException.unauthorized("Matrix-OpenID-Token belongs to a user of another server");
        }
        VzdTokens.Issued issued = tokens.issue(TokenKind.SEARCH, userId, properties.tokenLifetime(),
                Map.of("isInsurance", insurance));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "bearer");
        body.put("expires_in", issued.expiresIn());
        return body;
    }
}
