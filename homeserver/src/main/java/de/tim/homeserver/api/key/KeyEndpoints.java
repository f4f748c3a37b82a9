package de.tim.homeserver.api.key;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.keys.NotaryService;
import de.tim.homeserver.federation.keys.OwnServerKeys;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.ServerName;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Retrieving server keys": own keys and the notary queries (no X-Matrix auth). */
@RestController
public class KeyEndpoints {

    private final OwnServerKeys own;
    private final NotaryService notary;

    KeyEndpoints(OwnServerKeys own, NotaryService notary) {
        this.own = own;
        this.notary = notary;
    }

    /** {@code GET /_matrix/key/v2/server} */
    @GetMapping("/_matrix/key/v2/server")
    ObjectNode server(Domain domain) {
        return own.publish(domain);
    }

    /** {@code GET /_matrix/key/v2/query/{serverName}} */
    @GetMapping("/_matrix/key/v2/query/{serverName}")
    Map<String, Object> queryOne(Domain domain, @PathVariable String serverName,
            @RequestParam(name = "minimum_valid_until_ts", required = false) Long minimumValidUntil) {
        Map<ServerName, Long> request = new LinkedHashMap<>();
        request.put(serverName(serverName), minimumValidUntil);
        return Map.of("server_keys", notary.query(domain, request));
    }

    /** {@code POST /_matrix/key/v2/query} */
    @PostMapping("/_matrix/key/v2/query")
    Map<String, Object> query(Domain domain, @RequestBody JsonNode body) {
        JsonNode servers = body.path("server_keys");
        if (!servers.isObject()) {
            throw MatrixException.badJson("server_keys must be an object");
        }
        if (servers.size() > NotaryService.MAX_SERVERS) {
            throw MatrixException.invalidParam("At most " + NotaryService.MAX_SERVERS + " servers per query");
        }
        Map<ServerName, Long> request = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> server : servers.properties()) {
            if (!server.getValue().isObject()) {
                throw MatrixException.badJson("Key criteria must be objects");
            }
            Long minimum = null;
            for (Map.Entry<String, JsonNode> criteria : server.getValue().properties()) {
                JsonNode ts = criteria.getValue().path("minimum_valid_until_ts");
                if (!criteria.getValue().isObject() || !(ts.isMissingNode() || ts.isIntegralNumber())) {
                    throw MatrixException.badJson("minimum_valid_until_ts must be an integer");
                }
                if (ts.isIntegralNumber()) {
                    minimum = minimum == null ? ts.longValue() : Math.max(minimum, ts.longValue());
                }
            }
            request.put(serverName(server.getKey()), minimum);
        }
        List<ObjectNode> keys = notary.query(domain, request);
        return Map.of("server_keys", keys);
    }

    private static ServerName serverName(String value) {
        try {
            return ServerName.parse(value);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid server name");
        }
    }
}
