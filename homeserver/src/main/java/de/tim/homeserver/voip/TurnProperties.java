package de.tim.homeserver.voip;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * TURN servers for VoIP ({@code GET /voip/turnServer}), with time-limited credentials from a secret
 * shared with the TURN server (coturn {@code use-auth-secret} / "TURN REST API").
 *
 * @param uris         TURN URIs handed to clients, e.g. {@code turns:turn.example:443?transport=tcp}; empty: no TURN
 * @param sharedSecret the TURN server's {@code static-auth-secret}
 * @param ttl          credential lifetime (default 1 day)
 */
@ConfigurationProperties(TurnProperties.PREFIX)
public record TurnProperties(List<String> uris, String sharedSecret, Duration ttl) {

    public static final String PREFIX = "tim.homeserver.turn";

    public TurnProperties {
        uris = uris == null ? List.of() : List.copyOf(uris);
        ttl = ttl == null ? Duration.ofDays(1) : ttl;
    }

    @Override
    public String toString() {
        return "TurnProperties[" + uris + "]";
    }
}
