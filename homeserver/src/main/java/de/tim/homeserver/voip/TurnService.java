package de.tim.homeserver.voip;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Service;

/** Time-limited TURN credentials: username {@code <expiry-seconds>:<user id>}, password base64(HMAC-SHA1(secret, username)). */
@Service
public class TurnService {

    private final TurnProperties properties;

    TurnService(TurnProperties properties) {
        this.properties = properties;
    }

    /** Credentials as {@code GET /voip/turnServer} returns them. */
    public record TurnCredentials(String username, String password, java.util.List<String> uris, long ttl) {
        @Override
        public String toString() {
            return "TurnCredentials[" + username + "]";
        }
    }

    /** Empty when no TURN server is configured. */
    public Optional<TurnCredentials> credentials(String userId) {
        if (properties.uris().isEmpty() || properties.sharedSecret() == null || properties.sharedSecret().isEmpty()) {
            return Optional.empty();
        }
        long ttl = properties.ttl().toSeconds();
        String username = (System.currentTimeMillis() / 1000 + ttl) + ":" + userId;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(properties.sharedSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String password = Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
            return Optional.of(new TurnCredentials(username, password, properties.uris(), ttl));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
