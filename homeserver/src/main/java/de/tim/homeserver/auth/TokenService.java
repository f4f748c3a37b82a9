package de.tim.homeserver.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import com.mongodb.client.model.Updates;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Access, refresh and login tokens of one domain. Refresh follows the spec: refreshing revokes the old
 * access token at once; the old refresh token stays valid until the new access or refresh token is used.
 */
@Service
public class TokenService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long TOUCH_INTERVAL_MS = 60_000;

    private final TokenRepository repository;
    private final AuthProperties properties;

    TokenService(TokenRepository repository, AuthProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /** Tokens handed to a client. {@code refreshToken} and {@code expiresInMs} are null unless refreshable. */
    public record Issued(String accessToken, String refreshToken, Long expiresInMs) {
        @Override
        public String toString() {
            return "Issued[expiresInMs=" + expiresInMs + "]";
        }
    }

    /** A validated access token; {@code touchDue} says whether device last-seen should be updated. */
    public record Authenticated(String userId, String deviceId, String tokenHash, boolean touchDue) {
    }

    public Issued issue(Domain domain, String userId, String deviceId, boolean refreshable) {
        return issue(domain, userId, deviceId, refreshable, null);
    }

    private Issued issue(Domain domain, String userId, String deviceId, boolean refreshable, String revokeOnUse) {
        long now = System.currentTimeMillis();
        String access = newToken("tim_at_");
        Document accessDoc = new Document("_id", hash(access)).append("user_id", userId).append("device_id", deviceId)
                .append("created_ts", now).append("last_used_ts", 0L);
        if (!refreshable) {
            repository.insertAccess(domain.database(), accessDoc);
            return new Issued(access, null, null);
        }
        String refresh = newToken("tim_rt_");
        String refreshHash = hash(refresh);
        long lifetime = properties.refreshableAccessTokenLifetime().toMillis();
        Document refreshDoc = new Document("_id", refreshHash).append("user_id", userId).append("device_id", deviceId)
                .append("created_ts", now);
        accessDoc.append("expires_ts", now + lifetime).append("refresh_id", refreshHash);
        if (revokeOnUse != null) {
            refreshDoc.append("revoke_on_use", revokeOnUse);
            accessDoc.append("revoke_on_use", revokeOnUse);
        }
        repository.insertRefresh(domain.database(), refreshDoc);
        repository.insertAccess(domain.database(), accessDoc);
        return new Issued(access, refresh, lifetime);
    }

    /** Validates an access token of this domain: 401 M_UNKNOWN_TOKEN (soft_logout when merely expired). */
    public Authenticated authenticate(Domain domain, String accessToken) {
        String hash = hash(accessToken);
        Document doc = repository.findAccess(domain.database(), hash);
        if (doc == null) {
            throw MatrixException.unknownToken(false);
        }
        long now = System.currentTimeMillis();
        Long expires = doc.getLong("expires_ts");
        if (expires != null && expires <= now) {
            throw MatrixException.unknownToken(true);
        }
        String revokeOnUse = doc.getString("revoke_on_use");
        if (revokeOnUse != null) {
            repository.unsetRevokeOnUse(domain.database(), hash, revokeOnUse);
        }
        long lastUsed = doc.get("last_used_ts", 0L);
        boolean touch = now - lastUsed >= TOUCH_INTERVAL_MS;
        if (touch) {
            repository.updateAccess(domain.database(), hash, Updates.set("last_used_ts", now));
        }
        return new Authenticated(doc.getString("user_id"), doc.getString("device_id"), hash, touch);
    }

    /** {@code POST /refresh}: 401 M_UNKNOWN_TOKEN (soft_logout false) for an unknown refresh token. */
    public Issued refresh(Domain domain, String refreshToken) {
        String hash = hash(refreshToken);
        Document doc = repository.findRefresh(domain.database(), hash);
        if (doc == null) {
            throw MatrixException.unknownToken(false);
        }
        String previous = doc.getString("revoke_on_use");
        if (previous != null) {
            repository.deleteRefresh(domain.database(), previous);
        }
        repository.deleteAccessByRefresh(domain.database(), hash);
        return issue(domain, doc.getString("user_id"), doc.getString("device_id"), true, hash);
    }

    /** Revokes one access token (and its refresh token). */
    public void revoke(Domain domain, String accessTokenHash) {
        Document doc = repository.findAccess(domain.database(), accessTokenHash);
        if (doc != null && doc.getString("refresh_id") != null) {
            repository.deleteRefresh(domain.database(), doc.getString("refresh_id"));
        }
        repository.deleteAccess(domain.database(), accessTokenHash);
    }

    public void revokeDevice(Domain domain, String userId, String deviceId) {
        repository.deleteDevice(domain.database(), userId, deviceId);
    }

    /** Revokes all tokens of the user except those of {@code keepDeviceId} (may be null). */
    public void revokeUser(Domain domain, String userId, String keepDeviceId) {
        repository.deleteUser(domain.database(), userId, keepDeviceId);
    }

    /** Mints a single-use, short-lived {@code m.login.token}. */
    public Issued mintLoginToken(Domain domain, String userId) {
        String token = newToken("tim_lt_");
        long lifetime = properties.loginTokenLifetime().toMillis();
        repository.insertLogin(domain.database(), new Document("_id", hash(token)).append("user_id", userId)
                .append("expires_ts", System.currentTimeMillis() + lifetime));
        return new Issued(token, null, lifetime);
    }

    /** Consumes a login token; 403 M_FORBIDDEN when unknown, used or expired. */
    public String consumeLoginToken(Domain domain, String token) {
        Document doc = repository.takeLogin(domain.database(), hash(token));
        if (doc == null || doc.get("expires_ts", 0L) <= System.currentTimeMillis()) {
            throw MatrixException.forbidden("Invalid login token");
        }
        return doc.getString("user_id");
    }

    /** Mints an OpenID token proving the user's identity to third parties ({@code /openid/request_token}). */
    public Issued mintOpenIdToken(Domain domain, String userId) {
        String token = newToken("tim_oi_");
        long lifetime = properties.openidTokenLifetime().toMillis();
        repository.insertOpenId(domain.database(), new Document("_id", hash(token)).append("user_id", userId)
                .append("expires_ts", System.currentTimeMillis() + lifetime));
        return new Issued(token, null, lifetime);
    }

    /** The user an OpenID token was issued to; 401 M_UNKNOWN_TOKEN when unknown or expired. */
    public String openIdUser(Domain domain, String token) {
        Document doc = repository.findOpenId(domain.database(), hash(token));
        if (doc == null || doc.get("expires_ts", 0L) <= System.currentTimeMillis()) {
            throw MatrixException.unknownToken(false);
        }
        return doc.getString("user_id");
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
