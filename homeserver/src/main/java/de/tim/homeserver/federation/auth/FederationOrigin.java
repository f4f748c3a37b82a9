package de.tim.homeserver.federation.auth;

import de.tim.matrix.id.ServerName;

/**
 * The authenticated origin server of a federation request (from its verified X-Matrix header);
 * injectable into {@code *Endpoints} methods under {@code /_matrix/federation/}.
 */
public record FederationOrigin(ServerName server) {

    static final String ATTRIBUTE = FederationOrigin.class.getName();

    public String name() {
        return server.toString();
    }
}
