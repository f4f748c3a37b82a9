package de.tim.simulators.vzd.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Owner logins at the IDP in progress, by OAuth state (PKCE verifier, nonce, redirect URI). Thread-safe. */
@Component
public class OwnerLogins {

    /** One login in progress. */
    public record Pending(String codeVerifier, String nonce, String redirectUri, Instant expiresAt) {
    }

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** A started login: the OAuth state and what belongs to it. */
    public record Started(String state, Pending login) {
    }

    public Started start(String redirectUri) {
        pending.values().removeIf(p -> p.expiresAt().isBefore(clock.instant()));
        String state = random();
        Pending login = new Pending(random() + random(), random(), redirectUri, clock.instant().plus(LIFETIME));
        pending.put(state, login);
        return new Started(state, login);
    }

    public Optional<Pending> finish(String state) {
        Pending login = state == null ? null : pending.remove(state);
        return Optional.ofNullable(login).filter(p -> p.expiresAt().isAfter(clock.instant()));
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
