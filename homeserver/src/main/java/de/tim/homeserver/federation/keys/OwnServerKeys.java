package de.tim.homeserver.federation.keys;

import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.keys.ServerKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Our own {@code /_matrix/key/v2/server} answer per hosted domain: the current ed25519 key, signed by
 * itself, valid until now plus {@code tim.homeserver.federation.key-validity}, and the former keys
 * (after rotations) under {@code old_verify_keys} with their {@code expired_ts}.
 */
@Service
public class OwnServerKeys {

    private final FederationProperties properties;
    private final DomainRegistry registry;
    private final Clock clock;

    @Autowired
    public OwnServerKeys(FederationProperties properties, DomainRegistry registry) {
        this(properties, registry, Clock.systemUTC());
    }

    OwnServerKeys(FederationProperties properties, DomainRegistry registry, Clock clock) {
        this.properties = properties;
        this.registry = registry;
        this.clock = clock;
    }

    /** The domain's former keys. */
    public Map<String, ServerKeys.OldKey> oldKeys(Domain domain) {
        return registry.oldVerifyKeys(domain);
    }

    /** The signed key response of {@code domain}. */
    public ObjectNode publish(Domain domain) {
        Domain current = registry.byServerName(domain.serverName()).orElse(domain);
        return ServerKeys.publish(ServerName.parse(current.serverName()), current.signingKey(), oldKeys(current), validUntil());
    }

    /** The {@code valid_until_ts} published now. */
    public long validUntil() {
        return clock.millis() + properties.keyValidity().toMillis();
    }
}
