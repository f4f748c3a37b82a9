package de.tim.homeserver.registration;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import de.tim.homeserver.auth.LoginResult;
import de.tim.homeserver.auth.LoginService;
import de.tim.homeserver.auth.UiaService;
import de.tim.homeserver.user.PasswordProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.ratelimit.RateLimiter;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/** {@code /register}, {@code /register/available} and Synapse's shared-secret registration. */
@Service
public class RegistrationService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegistrationProperties properties;
    private final NonceRepository nonces;
    private final UserService users;
    private final LoginService logins;
    private final RateLimiter rateLimiter;
    private final UiaService uia;
    private final PasswordProperties passwords;

    RegistrationService(RegistrationProperties properties, NonceRepository nonces, UserService users,
            LoginService logins, RateLimiter rateLimiter, UiaService uia, PasswordProperties passwords) {
        this.uia = uia;
        this.passwords = passwords;
        this.properties = properties;
        this.nonces = nonces;
        this.users = users;
        this.logins = logins;
        this.rateLimiter = rateLimiter;
    }

    /** Body of Synapse's {@code POST /_synapse/admin/v1/register}. */
    public record SharedSecretRequest(String nonce, String username, String displayname, String password, Boolean admin,
            String userType, String mac) {
        @Override
        public String toString() {
            return "SharedSecretRequest[" + username + "]";
        }
    }

    /** Body of {@code POST /register}. */
    public record RegisterRequest(String username, String password, String deviceId, String initialDeviceDisplayName,
            Boolean inhibitLogin, Boolean refreshToken, JsonNode auth) {
        @Override
        public String toString() {
            return "RegisterRequest[" + username + "]";
        }
    }

    /**
     * {@code GET /register/m.login.registration_token/validity}: rate limited like registration; 403 while
     * registration is closed (the spec's answer: every token is invalid then); otherwise {@code false}, since
     * registration here needs no token (its only flow is {@code m.login.dummy}) and none is ever issued.
     */
    public boolean registrationTokenValid(Domain domain, String token, String clientIp) {
        rateLimiter.acquire(RateLimiter.Action.REGISTRATION, domain, clientIp);
        if (token == null) {
            throw MatrixException.missingParam("Missing token");
        }
        if (!properties.enabled()) {
            throw MatrixException.forbidden("Registration is disabled");
        }
        return false;
    }

    /**
     * {@code POST /register}: 403 while registration is closed or for guests; otherwise UIA
     * ({@code m.login.dummy}), then the account and, unless {@code inhibit_login}, a session.
     */
    public Map<String, Object> register(Domain domain, String kind, RegisterRequest request, String clientIp) {
        rateLimiter.acquire(RateLimiter.Action.REGISTRATION, domain, clientIp);
        if ("guest".equals(kind)) {
            throw new MatrixException(403, MatrixErrorCodes.M_GUEST_ACCESS_FORBIDDEN, "Guest access is disabled");
        }
        if (kind != null && !"user".equals(kind)) {
            throw MatrixException.invalidParam("Invalid kind");
        }
        if (!properties.enabled()) {
            throw MatrixException.forbidden("Registration is disabled");
        }
        String localpart = request.username() == null ? "u" + HexFormat.of().formatHex(randomBytes(6))
                : request.username().toLowerCase(Locale.ROOT);
        if (request.username() != null) {
            available(domain, request.username(), clientIp);
        }
        if (request.password() != null && request.password().length() < passwords.minimumLength()) {
            throw new MatrixException(400, MatrixErrorCodes.M_WEAK_PASSWORD,
                    "Password must have at least " + passwords.minimumLength() + " characters");
        }
        uia.authenticateDummy(domain, request.auth(), "register");
        if (request.password() == null) {
            throw MatrixException.badJson("Missing password");
        }
        User user = users.create(domain, localpart, request.password(), null, false, null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", user.userId());
        if (Boolean.TRUE.equals(request.inhibitLogin())) {
            return body;
        }
        LoginResult login = logins.startSession(domain, user.userId(), request.deviceId(), request.initialDeviceDisplayName(),
                Boolean.TRUE.equals(request.refreshToken()));
        body.put("access_token", login.accessToken());
        body.put("device_id", login.deviceId());
        body.put("home_server", login.homeServer());
        if (login.refreshToken() != null) {
            body.put("refresh_token", login.refreshToken());
            body.put("expires_in_ms", login.expiresInMs());
        }
        return body;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code GET /register/available}: true, or 400 M_USER_IN_USE / M_INVALID_USERNAME. */
    public boolean available(Domain domain, String username, String clientIp) {
        rateLimiter.acquire(RateLimiter.Action.REGISTRATION, domain, clientIp);
        if (username == null || username.isEmpty()) {
            throw MatrixException.missingParam("Missing username");
        }
        String localpart = username.toLowerCase(Locale.ROOT);
        if (!MatrixIds.isValidNewLocalpart(localpart, domain.serverName())) {
            throw new MatrixException(400, MatrixErrorCodes.M_INVALID_USERNAME, "Invalid username");
        }
        if (users.exists(domain, localpart)) {
            throw new MatrixException(400, MatrixErrorCodes.M_USER_IN_USE, "User ID already taken");
        }
        return true;
    }

    /** {@code GET /_synapse/admin/v1/register}: a fresh single-use nonce. */
    public String nonce(Domain domain) {
        sharedSecret(domain);
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = HexFormat.of().formatHex(bytes);
        long now = System.currentTimeMillis();
        nonces.insert(domain.database(), nonce, now, now - properties.nonceLifetime().toMillis());
        return nonce;
    }

    /** {@code POST /_synapse/admin/v1/register}: HMAC-SHA1 over nonce, user, password, admin flag, user type. */
    public LoginResult registerWithSharedSecret(Domain domain, SharedSecretRequest request) {
        String secret = sharedSecret(domain);
        if (request.nonce() == null || request.username() == null || request.password() == null || request.mac() == null) {
            throw MatrixException.badJson("nonce, username, password and mac are required");
        }
        if (request.username().isEmpty() || request.username().indexOf('\0') >= 0
                || request.password().indexOf('\0') >= 0 || request.password().length() > 512) {
            throw MatrixException.invalidParam("Invalid username or password");
        }
        Document nonce = nonces.take(domain.database(), request.nonce());
        if (nonce == null || nonce.get("created_ts", 0L) + properties.nonceLifetime().toMillis() < System.currentTimeMillis()) {
            throw MatrixException.unknown(400, "unrecognised nonce");
        }
        boolean admin = Boolean.TRUE.equals(request.admin());
        String expected = mac(secret, request.nonce(), request.username(), request.password(), admin, request.userType());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                request.mac().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw MatrixException.forbidden("HMAC incorrect");
        }
        User user = users.create(domain, request.username().toLowerCase(Locale.ROOT), request.password(),
                request.displayname(), admin, request.userType());
        return logins.startSession(domain, user.userId(), null, null, false);
    }

    /** Synapse's MAC: hex HMAC-SHA1(secret, nonce \0 user \0 password \0 admin|notadmin [\0 user_type]). */
    public static String mac(String secret, String nonce, String username, String password, boolean admin, String userType) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(nonce.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(password.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update((admin ? "admin" : "notadmin").getBytes(StandardCharsets.UTF_8));
            if (userType != null) {
                mac.update((byte) 0);
                mac.update(userType.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sharedSecret(Domain domain) {
        String secret = domain.registrationSharedSecret() != null ? domain.registrationSharedSecret() : properties.sharedSecret();
        if (secret == null || secret.isEmpty()) {
            throw MatrixException.unknown(400, "Shared secret registration is not enabled");
        }
        return secret;
    }
}
