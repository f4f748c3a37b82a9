package de.tim.homeserver.federation.keys;

import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.keys.ServerKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Our own {@code /_matrix/key/v2/server} answer per hosted domain: the current ed25519 key, signed by
 * itself, valid until now plus {@code tim.homeserver.federation.key-validity}.
 */
@Service
public class OwnServerKeys {

    private final FederationProperties properties;
    private final Clock clock;

    @Autowired
    public OwnServerKeys(FederationProperties properties) {
        this(properties, Clock.systemUTC());
    }

    OwnServerKeys(FederationProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** The signed key response of {@code domain}. */
    public ObjectNode publish(Domain domain) {
        return ServerKeys.publish(ServerName.parse(domain.serverName()), domain.signingKey(), Map.of(), validUntil());
    }

    /** The {@code valid_until_ts} published now. */
    public long validUntil() {
        return clock.millis() + properties.keyValidity().toMillis();
    }
}
