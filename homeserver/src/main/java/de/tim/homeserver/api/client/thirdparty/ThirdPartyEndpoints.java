package de.tim.homeserver.api.client.thirdparty;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spec area "Third-party networks": the protocols of bridges (application services). A TI-Messenger homeserver
 * runs no bridges, so it knows no protocol: the list is empty, a named protocol is unknown (404 {@code M_NOT_FOUND})
 * and lookups across all protocols find nothing.
 */
@RestController
public class ThirdPartyEndpoints {

    /** {@code GET /_matrix/client/v3/thirdparty/protocols} */
    @GetMapping("/_matrix/client/v3/thirdparty/protocols")
    Map<String, Object> protocols(Requester requester) {
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/thirdparty/protocol/{protocol}} and the lookups in one protocol. */
    @GetMapping({"/_matrix/client/v3/thirdparty/protocol/{protocol}", "/_matrix/client/v3/thirdparty/location/{protocol}",
            "/_matrix/client/v3/thirdparty/user/{protocol}"})
    Object protocol(Requester requester, @PathVariable String protocol) {
        throw MatrixException.notFound("Unknown third-party protocol");
    }

    /** {@code GET /_matrix/client/v3/thirdparty/location} and {@code .../user}: reverse lookups over all protocols. */
    @GetMapping({"/_matrix/client/v3/thirdparty/location", "/_matrix/client/v3/thirdparty/user"})
    List<Object> lookup(Requester requester) {
        return List.of();
    }
}
