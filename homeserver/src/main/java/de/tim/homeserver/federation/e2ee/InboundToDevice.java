package de.tim.homeserver.federation.e2ee;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.todevice.ToDeviceService;
import org.springframework.stereotype.Service;

/**
 * Inbound {@code m.direct_to_device}: messages from a user of the origin to our users' devices go to their
 * inboxes; messages for users of other servers and malformed entries are dropped. Idempotent by (origin, sender,
 * {@code message_id}): the inbox is written first (its ids are derived from sender and message id, so a repeat
 * rewrites the same documents), then the message id is remembered, and a remembered id is not queued again.
 */
@Service
public class InboundToDevice {

    private final ToDeviceService toDevice;
    private final InboundToDeviceRepository received;

    InboundToDevice(ToDeviceService toDevice, InboundToDeviceRepository received) {
        this.toDevice = toDevice;
        this.received = received;
    }

    public void receive(Domain domain, String origin, JsonNode content) {
        String sender = content.path("sender").asText(null);
        String type = content.path("type").asText(null);
        String messageId = content.path("message_id").asText(null);
        if (sender == null || type == null || type.isEmpty() || messageId == null || messageId.isEmpty()
                || !Edus.isUserOf(sender, origin) || !content.path("messages").isObject()) {
            return;
        }
        if (received.seen(domain.database(), origin, sender, messageId)) {
            return;
        }
        Map<String, Map<String, JsonNode>> local = new LinkedHashMap<>();
        content.get("messages").properties().forEach(user -> {
            if (!domain.isLocal(user.getKey()) || !Edus.isUserOf(user.getKey(), domain.serverName()) || !user.getValue().isObject()) {
                return;
            }
            Map<String, JsonNode> byDevice = new LinkedHashMap<>();
            user.getValue().properties().forEach(device -> {
                if (device.getValue().isObject()) {
                    byDevice.put(device.getKey(), device.getValue());
                }
            });
            if (!byDevice.isEmpty()) {
                local.put(user.getKey(), byDevice);
            }
        });
        if (!local.isEmpty()) {
            toDevice.receiveRemote(domain, sender, type, messageId, local);
        }
        received.markSeen(domain.database(), origin, sender, messageId);
    }
}
