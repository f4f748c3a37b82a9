package de.tim.homeserver.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.ratelimit.RateLimiter;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/** Logging in and out: {@code m.login.password}, {@code m.login.token}, sessions for existing users. */
@Service
public class LoginService {

    public static final String PASSWORD = "m.login.password";
    public static final String TOKEN = "m.login.token";

    private final UserService users;
    private final DeviceService devices;
    private final TokenService tokens;
    private final RateLimiter rateLimiter;
    private final UiaService uia;
    private final AuthProperties properties;

    LoginService(UserService users, DeviceService devices, TokenService tokens, RateLimiter rateLimiter, UiaService uia,
            AuthProperties properties) {
        this.users = users;
        this.devices = devices;
        this.tokens = tokens;
        this.rateLimiter = rateLimiter;
        this.uia = uia;
        this.properties = properties;
    }

    /** Login types offered by {@code GET /login}. */
    public List<Map<String, Object>> flows(Domain domain, List<Map<String, Object>> identityProviders) {
        List<Map<String, Object>> flows = new ArrayList<>();
        flows.add(Map.of("type", PASSWORD));
        flows.add(Map.of("type", TOKEN, "get_login_token", properties.getLoginTokenEnabled()));
        if (!identityProviders.isEmpty()) {
            flows.add(Map.of("type", "m.login.sso", "identity_providers", identityProviders));
        }
        return flows;
    }

    public LoginResult login(Domain domain, LoginRequest request, String clientIp) {
        rateLimiter.acquire(RateLimiter.Action.LOGIN, domain, clientIp);
        if (request.type() == null) {
            throw MatrixException.badJson("Missing type");
        }
        String userId = switch (request.type()) {
            case PASSWORD -> passwordLogin(domain, request);
            case TOKEN -> tokenLogin(domain, request);
            default -> throw new MatrixException(400, MatrixErrorCodes.M_UNKNOWN, "Unknown login type");
        };
        return startSession(domain, userId, request.deviceId(), request.initialDeviceDisplayName(),
                Boolean.TRUE.equals(request.refreshToken()));
    }

    /** Creates a device (or reuses the given one) and issues tokens for an authenticated user. */
    public LoginResult startSession(Domain domain, String userId, String deviceId, String displayName, boolean refreshable) {
        String device = devices.loginDevice(domain, userId, deviceId, displayName);
        TokenService.Issued issued = tokens.issue(domain, userId, device, refreshable);
        Map<String, Object> wellKnown = domain.publicBaseUrl() == null ? null
                : Map.of("m.homeserver", Map.of("base_url", domain.publicBaseUrl()));
        return new LoginResult(userId, issued.accessToken(), device, domain.serverName(), issued.refreshToken(),
                issued.expiresInMs(), wellKnown);
    }

    /** {@code POST /logout}. */
    public void logout(Requester requester) {
        devices.delete(requester.domain(), requester.userId(), requester.deviceId());
    }

    /** {@code POST /logout/all}. */
    public void logoutAll(Requester requester) {
        devices.deleteAll(requester.domain(), requester.userId(), null);
    }

    /** {@code POST /v1/login/get_token}: a login token for another device of the same user, after UIA. */
    public TokenService.Issued loginTokenFor(Requester requester, com.fasterxml.jackson.databind.JsonNode auth) {
        if (!properties.getLoginTokenEnabled()) {
            throw MatrixException.forbidden("Login tokens are disabled");
        }
        uia.authenticate(requester, auth, "get_login_token");
        return tokens.mintLoginToken(requester.domain(), requester.userId());
    }

    private String passwordLogin(Domain domain, LoginRequest request) {
        String user = request.user();
        if (request.identifier() != null) {
            if (!"m.id.user".equals(request.identifier().type())) {
                throw new MatrixException(400, MatrixErrorCodes.M_UNKNOWN, "Only m.id.user identifiers are supported");
            }
            user = request.identifier().user();
        }
        if (user == null || request.password() == null) {
            throw MatrixException.badJson("Missing user or password");
        }
        String userId = toUserId(domain, user);
        rateLimiter.acquire(RateLimiter.Action.LOGIN_ACCOUNT, domain, userId);
        if (!users.checkPassword(domain, userId, request.password())) {
            throw MatrixException.forbidden("Invalid username or password");
        }
        return userId;
    }

    private String tokenLogin(Domain domain, LoginRequest request) {
        if (request.token() == null) {
            throw MatrixException.badJson("Missing token");
        }
        String userId = tokens.consumeLoginToken(domain, request.token());
        User user = users.find(domain, userId).orElseThrow(() -> MatrixException.forbidden("Invalid login token"));
        if (user.deactivated()) {
            throw new MatrixException(403, MatrixErrorCodes.M_USER_DEACTIVATED, "User is deactivated");
        }
        return userId;
    }

    private static String toUserId(Domain domain, String user) {
        if (user.startsWith("@")) {
            de.tim.matrix.id.UserId parsed;
            try {
                parsed = MatrixIds.parseUserId(user);
            } catch (MatrixException e) {
                throw MatrixException.forbidden("Invalid username or password");
            }
            if (!parsed.domain().toString().equals(domain.serverName())) {
                throw MatrixException.forbidden("Invalid username or password");
            }
            return domain.userId(parsed.localpart().toLowerCase(Locale.ROOT));
        }
        return domain.userId(user.toLowerCase(Locale.ROOT));
    }
}
