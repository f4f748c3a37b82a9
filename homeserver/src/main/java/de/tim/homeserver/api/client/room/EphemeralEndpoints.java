package de.tim.homeserver.api.client.room;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.room.EphemeralService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec areas "Typing notifications", "Receipts", "Fully read markers". */
@RestController
public class EphemeralEndpoints {

    private final EphemeralService ephemeral;

    EphemeralEndpoints(EphemeralService ephemeral) {
        this.ephemeral = ephemeral;
    }

    /** {@code PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}} */
    @PutMapping("/_matrix/client/v3/rooms/{roomId}/typing/{userId}")
    Map<String, Object> typing(Requester requester, @PathVariable String roomId, @PathVariable String userId,
            @RequestBody JsonNode body) {
        UserPaths.requireSelf(requester, userId);
        if (!body.isObject() || !body.path("typing").isBoolean()) {
            throw MatrixException.badJson("typing (boolean) is required");
        }
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isIntegralNumber()) {
            throw MatrixException.badJson("timeout must be an integer");
        }
        ephemeral.typing(requester, roomId, body.get("typing").booleanValue(), timeout == null ? null : timeout.longValue());
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}")
    Map<String, Object> receipt(Requester requester, @PathVariable String roomId, @PathVariable String receiptType,
            @PathVariable String eventId, @RequestBody(required = false) JsonNode body) {
        String threadId = null;
        if (body != null && body.isObject() && body.has("thread_id")) {
            if (!body.get("thread_id").isTextual()) {
                throw MatrixException.badJson("thread_id must be a string");
            }
            threadId = body.get("thread_id").textValue();
        } else if (body != null && !body.isMissingNode() && !body.isNull() && !body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        ephemeral.receipt(requester, roomId, receiptType, eventId, threadId);
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/read_markers} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/read_markers")
    Map<String, Object> readMarkers(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        if (!body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        ephemeral.readMarkers(requester, roomId, body);
        return Map.of();
    }
}
