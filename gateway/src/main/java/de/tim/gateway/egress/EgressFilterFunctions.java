package de.tim.gateway.egress;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import de.tim.gateway.check.invite.FederationMembership;
import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.gateway.route.UpstreamProperties;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.ServerName;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Stage 1 for outbound federation: only this gateway's homeserver may use the egress listener (proxy
 * secret), and only towards a destination on the federation list. The request then goes over TLS to the
 * destination's Messenger-Proxy; the proxy secret never leaves the gateway.
 */
public final class EgressFilterFunctions {

    private EgressFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> toFederatedDestination(
            UpstreamProperties upstream, FederationMembership federation, ServerDiscovery discovery, MeterRegistry meters) {
        byte[] secret = upstream.proxySecret().getBytes(StandardCharsets.UTF_8);
        return (request, next) -> {
            String presented = request.headers().firstHeader(UpstreamProperties.PROXY_AUTH_HEADER);
            if (presented == null || !MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
                return deny(meters, "not-our-homeserver", MatrixException.forbidden("Only the homeserver may use this egress proxy"));
            }
            ServerName destination;
            try {
                destination = ServerName.parse(request.headers().firstHeader(HttpHeaders.HOST));
            } catch (IllegalArgumentException | NullPointerException e) {
                return deny(meters, "bad-destination", MatrixException.invalidParam("The destination is not a server name"));
            }
            if (!federation.isMember(destination)) {
                return deny(meters, "destination-not-federated",
                        MatrixException.forbidden("The destination does not belong to the TI federation"));
            }
            URI base = discovery.resolve(destination);
            ServerRequest outbound = ServerRequest.from(request)
                    .headers(headers -> {
                        headers.remove(UpstreamProperties.PROXY_AUTH_HEADER);
                        headers.set(HttpHeaders.HOST, destination.toString());
                    })
                    .build();
            outbound.attributes().put(MvcUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
            MvcUtils.setRequestUrl(outbound, base);
            meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", "egress",
                    "outcome", "allowed", "reason", "destination-federated").increment();
            return next.handle(outbound);
        };
    }

    private static ServerResponse deny(MeterRegistry meters, String reason, MatrixException e) {
        meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", "egress",
                "outcome", "denied", "reason", reason).increment();
        return MatrixErrorResponses.response(e);
    }
}
