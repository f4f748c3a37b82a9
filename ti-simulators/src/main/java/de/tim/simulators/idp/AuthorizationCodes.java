package de.tim.simulators.idp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Pending authorization codes; each can be redeemed once before it expires. Thread-safe. */
@Component
public class AuthorizationCodes {

    /** What an authorization code stands for. */
    public record Grant(String clientId, String redirectUri, String codeChallenge, String nonce,
                        SmartcardIdentity identity, Instant authTime, Instant expiresAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public String create(Grant grant) {
        grants.values().removeIf(g -> g.expiresAt().isBefore(clock.instant()));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(code, grant);
        return code;
    }

    /** Removes and returns the grant if the code exists and has not expired. */
    public Optional<Grant> redeem(String code) {
        Grant grant = code == null ? null : grants.remove(code);
        return Optional.ofNullable(grant).filter(g -> g.expiresAt().isAfter(clock.instant()));
    }
}
