package de.tim.homeserver.api.federation.user;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.e2ee.LocalUserKeys;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Device Management" and "End-to-End Encryption": our users' devices and keys. */
@RestController
public class FederationUserEndpoints {

    private final LocalUserKeys keys;

    FederationUserEndpoints(LocalUserKeys keys) {
        this.keys = keys;
    }

    /** {@code GET /_matrix/federation/v1/user/devices/{userId}} */
    @GetMapping("/_matrix/federation/v1/user/devices/{userId}")
    JsonNode devices(Domain domain, FederationOrigin origin, @PathVariable String userId) {
        return keys.devices(domain, userId);
    }

    /** {@code POST /_matrix/federation/v1/user/keys/query} */
    @PostMapping("/_matrix/federation/v1/user/keys/query")
    JsonNode query(Domain domain, FederationOrigin origin, @RequestBody JsonNode body) {
        return keys.query(domain, body);
    }

    /** {@code POST /_matrix/federation/v1/user/keys/claim} */
    @PostMapping("/_matrix/federation/v1/user/keys/claim")
    JsonNode claim(Domain domain, FederationOrigin origin, @RequestBody JsonNode body) {
        return keys.claim(domain, body);
    }
}
