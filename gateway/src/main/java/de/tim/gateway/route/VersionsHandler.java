package de.tim.gateway.route;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.matrix.error.MatrixException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code GET /_matrix/client/versions}: the homeserver's answer, with {@code versions} cut down to the
 * spec versions this deployment may advertise (TI-M 1.1 approval: nothing above v1.3).
 */
final class VersionsHandler implements HandlerFunction<ServerResponse> {

    private final RestClient homeserver;
    private final UpstreamProperties upstream;
    private final ServedDomains domains;
    private final List<String> advertised;

    VersionsHandler(RestClient homeserver, UpstreamProperties upstream, ServedDomains domains, List<String> advertised) {
        this.homeserver = homeserver;
        this.upstream = upstream;
        this.domains = domains;
        this.advertised = List.copyOf(advertised);
    }

    @Override
    public ServerResponse handle(ServerRequest request) {
        String serverName = domains.resolve(request.headers().firstHeader("Host")).orElse(null);
        if (serverName == null) {
            return MatrixErrorResponses.response(MatrixException.unrecognized(404, "No Messenger-Service is served under this host"));
        }
        JsonNode answer;
        try {
            answer = homeserver.get().uri(URI.create(upstream.homeserverUri() + "/_matrix/client/versions"))
                    .header("Host", serverName)
                    .header(UpstreamProperties.PROXY_AUTH_HEADER, upstream.proxySecret())
                    .retrieve()
                    .onStatus(HttpStatusCode::isError, (req, res) -> {
                        throw new RestClientException("homeserver answered " + res.getStatusCode().value());
                    })
                    .body(JsonNode.class);
        } catch (RestClientException e) {
            return MatrixErrorResponses.response(MatrixException.unknown(502, "The homeserver is not reachable"));
        }
        if (!(answer instanceof ObjectNode object) || !(object.get("versions") instanceof ArrayNode versions)) {
            return MatrixErrorResponses.response(MatrixException.unknown(502, "The homeserver gave no versions"));
        }
        ArrayNode kept = object.putArray("versions");
        versions.forEach(v -> {
            if (advertised.contains(v.asText())) {
                kept.add(v);
            }
        });
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(object);
    }
}
