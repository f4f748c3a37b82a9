package de.tim.routes.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import de.tim.routes.error.ApiException;

/**
 * Org-Admin accounts: the initial account of an organisation (created once, after its verification), login with
 * password and TOTP, and portal session tokens. Tokens, passwords and TOTP secrets are never logged.
 */
@Service
public class AdminService {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new admin's second factor, shown once. */
    public record Enrolment(String username, String totpSecret, String otpauthUri) {
    }

    /** A portal session. */
    public record Session(String accessToken, long expiresIn) {
    }

    private final AdminAccountRepository repository;
    private final AdminProperties properties;
    private final TotpSecretCipher cipher;
    private final Clock clock;

    @Autowired
    public AdminService(AdminAccountRepository repository, AdminProperties properties, TotpSecretCipher cipher) {
        this(repository, properties, cipher, Clock.systemUTC());
    }

    AdminService(AdminAccountRepository repository, AdminProperties properties, TotpSecretCipher cipher, Clock clock) {
        this.repository = repository;
        this.properties = properties;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** 503 {@code NOT_CONFIGURED} when admin accounts cannot be created or used (no TOTP encryption key). */
    public void ensureAvailable() {
        cipher.ensureConfigured();
    }

    public boolean organisationHasAdmin(String telematikId) {
        return repository.organisationHasAdmin(telematikId);
    }

    /** Checks user name and password before anything is stored. */
    public void validateCredentials(String username, String password) {
        if (username == null || !username.matches("[A-Za-z0-9._-]{3,64}")) {
            throw ApiException.badRequest("username: 3 to 64 characters of A-Z, a-z, 0-9, '.', '_', '-'");
        }
        if (password == null || password.length() < properties.minPasswordLength() || password.length() > 256) {
            throw ApiException.badRequest("password: at least " + properties.minPasswordLength() + " characters");
        }
    }

    /** Creates the organisation's initial admin; 409 when the organisation already has one or the name is taken. */
    public Enrolment createInitialAdmin(String telematikId, String username, String password) {
        validateCredentials(username, password);
        String name = username.toLowerCase(Locale.ROOT);
        String secret = Totp.newSecret();
        AdminAccountRepository.Created created = repository.create(new AdminAccountRepository.Account(name, telematikId,
                Passwords.hash(password), cipher.seal(secret, name, telematikId), null, -1));
        return switch (created) {
            case CREATED -> new Enrolment(name, secret, "otpauth://totp/TI-Messenger:" + name + "?secret=" + secret
                    + "&issuer=TI-Messenger&algorithm=SHA1&digits=6&period=30");
            case ORGANISATION_HAS_ADMIN -> throw new ApiException(HttpStatus.CONFLICT, "ADMIN_EXISTS",
                    "the organisation already has an admin account; no second initial authentication");
            case USERNAME_TAKEN -> throw new ApiException(HttpStatus.CONFLICT, "USERNAME_TAKEN", "the username is taken");
        };
    }

    /** Login with both factors; every failure is the same 401. */
    public Session login(String username, String password, String totp) {
        ApiException refused = new ApiException(HttpStatus.UNAUTHORIZED, "LOGIN_FAILED", "username, password or one-time code wrong");
        if (username == null || password == null) {
            throw refused;
        }
        AdminAccountRepository.Account account = repository.find(username.toLowerCase(Locale.ROOT)).orElse(null);
        if (account == null || !Passwords.matches(password, account.passwordHash())) {
            throw refused;
        }
        cipher.ensureConfigured();
        String secret = account.totp() != null ? cipher.open(account.totp(), account.username(), account.telematikId())
                : account.legacyTotpSecret();
        if (secret == null) {
            throw refused;
        }
        long step = Totp.matchingStep(secret, totp, clock.instant().getEpochSecond());
        if (step < 0 || !repository.useTotpStep(account.username(), step)) {
            throw refused;
        }
        if (account.totp() == null || !account.totp().keyId().equals(cipher.activeKeyId())) {
            repository.resealTotp(account.username(), cipher.seal(secret, account.username(), account.telematikId()));
        }
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        String accessToken = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        repository.purgeSessions(clock.instant());
        repository.createSession(sha256(accessToken), new AdminPrincipal(account.username(), account.telematikId()),
                clock.instant().plus(properties.sessionLifetime()));
        return new Session(accessToken, properties.sessionLifetime().toSeconds());
    }

    /** The admin behind {@code Authorization: Bearer <session token>}; 401 otherwise. */
    public AdminPrincipal authenticate(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "an Org-Admin session token is required");
        }
        return repository.session(sha256(authorization.substring(7).trim()), clock.instant())
                .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "the session is unknown or expired"));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
