package de.tim.homeserver.api.federation.openid;

import java.util.Map;

import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "OpenID": third parties exchange a user's OpenID token for the user id (no X-Matrix auth). */
@RestController
public class OpenIdFederationEndpoints {

    private final TokenService tokens;

    OpenIdFederationEndpoints(TokenService tokens) {
        this.tokens = tokens;
    }

    /** {@code GET /_matrix/federation/v1/openid/userinfo} */
    @GetMapping("/_matrix/federation/v1/openid/userinfo")
    Map<String, Object> userinfo(Domain domain, @RequestParam(name = "access_token", required = false) String accessToken) {
        if (accessToken == null || accessToken.isEmpty()) {
            throw MatrixException.unknownToken(false);
        }
        return Map.of("sub", tokens.openIdUser(domain, accessToken));
    }
}
