package de.tim.homeserver.api.client.keys;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.e2ee.crosssigning.SignatureUploadService;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.e2ee.devicelists.KeyChanges;
import de.tim.homeserver.e2ee.keys.KeyQueryService;
import de.tim.homeserver.e2ee.keys.KeysService;
import de.tim.homeserver.room.SyncToken;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec module "End-to-End Encryption": key management endpoints. */
@RestController
public class KeysEndpoints {

    private final KeysService keys;
    private final KeyQueryService query;
    private final KeyChanges keyChanges;
    private final CrossSigningService crossSigning;
    private final SignatureUploadService signatures;

    KeysEndpoints(KeysService keys, KeyQueryService query, KeyChanges keyChanges,
            CrossSigningService crossSigning, SignatureUploadService signatures) {
        this.crossSigning = crossSigning;
        this.signatures = signatures;
        this.keys = keys;
        this.query = query;
        this.keyChanges = keyChanges;
    }

    static ObjectNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    /** {@code POST /_matrix/client/v3/keys/upload} */
    @PostMapping("/_matrix/client/v3/keys/upload")
    Map<String, Object> upload(Requester requester, @RequestBody JsonNode body) {
        return Map.of("one_time_key_counts", keys.upload(requester, object(body)));
    }

    /** {@code POST /_matrix/client/v3/keys/query} */
    @PostMapping("/_matrix/client/v3/keys/query")
    ObjectNode query(Requester requester, @RequestBody JsonNode body) {
        return query.query(requester, object(body));
    }

    /** {@code POST /_matrix/client/v3/keys/claim} */
    @PostMapping("/_matrix/client/v3/keys/claim")
    ObjectNode claim(Requester requester, @RequestBody JsonNode body) {
        return query.claim(requester, object(body));
    }

    /**
     * {@code GET /_matrix/client/v3/keys/changes?from=&to=}: users sharing a room whose devices or keys
     * changed between the two sync tokens or who started sharing one ({@code changed}), and users who share
     * no room any more after leaves in the window ({@code left}).
     */
    @GetMapping("/_matrix/client/v3/keys/changes")
    DeviceListService.Delta changes(Requester requester, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        if (from == null || to == null) {
            throw MatrixException.missingParam("from and to are required");
        }
        return keyChanges.between(requester.domain(), requester.userId(), SyncToken.parse(from), SyncToken.parse(to));
    }

    /** {@code POST /_matrix/client/v3/keys/device_signing/upload} (UIA unless the first or an identical upload) */
    @PostMapping("/_matrix/client/v3/keys/device_signing/upload")
    Map<String, Object> uploadCrossSigning(Requester requester, @RequestBody JsonNode body) {
        crossSigning.upload(requester, object(body));
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/keys/signatures/upload} */
    @PostMapping("/_matrix/client/v3/keys/signatures/upload")
    ObjectNode uploadSignatures(Requester requester, @RequestBody JsonNode body) {
        return signatures.upload(requester, object(body));
    }
}
