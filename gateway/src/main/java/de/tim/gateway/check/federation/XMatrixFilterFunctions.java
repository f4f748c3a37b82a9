package de.tim.gateway.check.federation;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import de.tim.gateway.check.invite.FederationMembership;
import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.ServerName;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Stage 1 for inbound Server-Server requests: a syntactically valid X-Matrix {@code Authorization}
 * header naming one of this gateway's domains as destination (401 otherwise), and an origin on the
 * federation list (403 otherwise). The homeserver behind verifies the request signature itself.
 */
public final class XMatrixFilterFunctions {

    /** Request attribute holding the parsed {@link XMatrixAuthorization} of an admitted request. */
    public static final String AUTHORIZATION_ATTRIBUTE = XMatrixFilterFunctions.class.getName() + ".authorization";

    private XMatrixFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> originFederated(
            FederationMembership federation, Set<ServerName> ownServerNames, MeterRegistry meters) {
        return (request, next) -> {
            List<String> headers = Collections.list(request.servletRequest().getHeaders("Authorization"));
            List<String> xmatrix = headers.stream().filter(h -> h.regionMatches(true, 0, "X-Matrix ", 0, 9)).toList();
            if (xmatrix.size() != 1 || headers.size() != 1) {
                return deny(meters, "no-single-x-matrix", unauthorized("A single X-Matrix Authorization header is required"));
            }
            XMatrixAuthorization authorization;
            try {
                authorization = XMatrixAuthorization.parse(xmatrix.getFirst());
            } catch (IllegalArgumentException e) {
                return deny(meters, "bad-x-matrix", unauthorized("Malformed X-Matrix Authorization header"));
            }
            if (authorization.destination().isPresent() && !ownServerNames.contains(authorization.destination().get())) {
                return deny(meters, "wrong-destination", unauthorized("The request is not addressed to this server"));
            }
            if (!federation.isMember(authorization.origin())) {
                return deny(meters, "origin-not-federated",
                        MatrixException.forbidden("The origin server does not belong to the TI federation"));
            }
            request.attributes().put(AUTHORIZATION_ATTRIBUTE, authorization);
            meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", "federation-request",
                    "outcome", "allowed", "reason", "origin-federated").increment();
            return next.handle(request);
        };
    }

    private static MatrixException unauthorized(String message) {
        return new MatrixException(401, MatrixErrorCodes.M_UNAUTHORIZED, message);
    }

    private static ServerResponse deny(MeterRegistry meters, String reason, MatrixException e) {
        meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", "federation-request",
                "outcome", "denied", "reason", reason).increment();
        return MatrixErrorResponses.response(e);
    }
}
