package de.tim.homeserver.federation.auth;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.keys.ServerKeyStore;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.ServerName;

/**
 * "Request Authentication" of the server-server API: one of the request's X-Matrix headers must name
 * the receiving domain as destination (or none, as pre-v1.3 servers do) and carry a valid signature of
 * its origin over method, URI, origin, destination and JSON body, made with a key of the origin that
 * is valid now. Anything else is 401 {@code M_UNAUTHORIZED}.
 */
final class FederationRequestAuthenticator {

    private final ServerKeyStore keys;

    FederationRequestAuthenticator(ServerKeyStore keys) {
        this.keys = keys;
    }

    FederationOrigin authenticate(Domain domain, List<String> authorizationHeaders, String method, String uri,
            JsonNode content, long now) {
        ServerName own = ServerName.parse(domain.serverName());
        boolean anyXMatrix = false;
        for (String header : authorizationHeaders) {
            XMatrixAuthorization auth;
            try {
                auth = XMatrixAuthorization.parse(header);
            } catch (IllegalArgumentException e) {
                continue;
            }
            anyXMatrix = true;
            if (!auth.destinationMatches(own)) {
                continue;
            }
            Optional<VerifyKey> key = keys.find(domain, auth.origin(), auth.keyId(), now);
            if (key.isPresent() && auth.verify(own, method, uri, content, key.get())) {
                return new FederationOrigin(auth.origin());
            }
        }
        throw new MatrixException(401, MatrixErrorCodes.M_UNAUTHORIZED, anyXMatrix
                ? "X-Matrix signature could not be verified" : "Missing or malformed X-Matrix authorization");
    }
}
