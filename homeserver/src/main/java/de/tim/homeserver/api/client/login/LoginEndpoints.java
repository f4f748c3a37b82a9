package de.tim.homeserver.api.client.login;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.LoginRequest;
import de.tim.homeserver.auth.LoginResult;
import de.tim.homeserver.auth.LoginService;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.http.ClientAddress;
import de.tim.homeserver.http.HttpProperties;
import de.tim.homeserver.sso.SsoService;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Login", "Logout", "Refreshing access tokens", "Login token". */
@RestController
public class LoginEndpoints {

    private final LoginService logins;
    private final TokenService tokens;
    private final HttpProperties http;
    private final SsoService sso;

    LoginEndpoints(LoginService logins, TokenService tokens, HttpProperties http, SsoService sso) {
        this.sso = sso;
        this.logins = logins;
        this.tokens = tokens;
        this.http = http;
    }

    /** {@code GET /_matrix/client/v3/login} */
    @GetMapping("/_matrix/client/v3/login")
    Map<String, Object> flows(Domain domain) {
        return Map.of("flows", logins.flows(domain, sso.identityProviders(domain)));
    }

    /** {@code POST /_matrix/client/v3/login} */
    @PostMapping("/_matrix/client/v3/login")
    LoginResult login(Domain domain, @RequestBody LoginRequest request, HttpServletRequest servlet) {
        return logins.login(domain, request, ClientAddress.of(servlet, http.trustForwardedFor()).ip());
    }

    record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest";
        }
    }

    /** {@code POST /_matrix/client/v3/refresh} */
    @PostMapping({"/_matrix/client/v3/refresh", "/_matrix/client/v1/refresh"})
    Map<String, Object> refresh(Domain domain, @RequestBody RefreshRequest request) {
        if (request.refreshToken() == null) {
            throw MatrixException.badJson("Missing refresh_token");
        }
        TokenService.Issued issued = tokens.refresh(domain, request.refreshToken());
        return Map.of("access_token", issued.accessToken(), "refresh_token", issued.refreshToken(),
                "expires_in_ms", issued.expiresInMs());
    }

    /** {@code POST /_matrix/client/v3/logout} */
    @PostMapping("/_matrix/client/v3/logout")
    Map<String, Object> logout(Requester requester) {
        logins.logout(requester);
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/logout/all} */
    @PostMapping("/_matrix/client/v3/logout/all")
    Map<String, Object> logoutAll(Requester requester) {
        logins.logoutAll(requester);
        return Map.of();
    }

    record GetTokenRequest(JsonNode auth) {
    }

    /** {@code POST /_matrix/client/v1/login/get_token} */
    @PostMapping("/_matrix/client/v1/login/get_token")
    Map<String, Object> getToken(Requester requester, @RequestBody GetTokenRequest request) {
        TokenService.Issued issued = logins.loginTokenFor(requester, request.auth());
        return Map.of("login_token", issued.accessToken(), "expires_in_ms", issued.expiresInMs());
    }
}
