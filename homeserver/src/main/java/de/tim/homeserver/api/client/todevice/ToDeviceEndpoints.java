package de.tim.homeserver.api.client.todevice;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.e2ee.todevice.ToDeviceService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec module "Send-to-Device messaging". */
@RestController
public class ToDeviceEndpoints {

    private static final int MAX_ID_LENGTH = 255;

    private final ToDeviceService toDevice;

    ToDeviceEndpoints(ToDeviceService toDevice) {
        this.toDevice = toDevice;
    }

    /** {@code PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}} */
    @PutMapping("/_matrix/client/v3/sendToDevice/{eventType}/{txnId}")
    Map<String, Object> send(Requester requester, @PathVariable String eventType, @PathVariable String txnId,
            @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        if (eventType.isEmpty() || eventType.length() > MAX_ID_LENGTH || txnId.isEmpty() || txnId.length() > MAX_ID_LENGTH) {
            throw MatrixException.invalidParam("Invalid event type or transaction id");
        }
        toDevice.send(requester, eventType, txnId, body);
        return Map.of();
    }
}
