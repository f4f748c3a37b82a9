package de.tim.homeserver.api.federation.version;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Server implementation": name and version of this homeserver (no X-Matrix auth). */
@RestController
public class FederationVersionEndpoints {

    private final String version;

    FederationVersionEndpoints() {
        String implementation = FederationVersionEndpoints.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "dev" : implementation;
    }

    /** {@code GET /_matrix/federation/v1/version} */
    @GetMapping("/_matrix/federation/v1/version")
    Map<String, Object> version() {
        return Map.of("server", Map.of("name", "TI-Messenger Fachdienst homeserver", "version", version));
    }
}
