package de.tim.homeserver.api.client.openid;

import java.util.Map;

import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.TokenService;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "OpenID": tokens a client hands to third parties (e.g. the contact-management API). */
@RestController
public class OpenIdEndpoints {

    private final TokenService tokens;

    OpenIdEndpoints(TokenService tokens) {
        this.tokens = tokens;
    }

    /** {@code POST /_matrix/client/v3/user/{userId}/openid/request_token} */
    @PostMapping("/_matrix/client/v3/user/{userId}/openid/request_token")
    Map<String, Object> requestToken(Requester requester, @PathVariable String userId) {
        UserPaths.requireSelf(requester, userId);
        TokenService.Issued issued = tokens.mintOpenIdToken(requester.domain(), userId);
        return Map.of("access_token", issued.accessToken(), "token_type", "Bearer",
                "matrix_server_name", requester.domain().serverName(), "expires_in", issued.expiresInMs() / 1000);
    }
}
