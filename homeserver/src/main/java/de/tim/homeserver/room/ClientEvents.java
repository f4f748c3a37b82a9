package de.tim.homeserver.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.Pdu;

/**
 * Client-format events ({@code ClientEvent}): redacted per room version when a redaction applies
 * (with {@code unsigned.redacted_because}), and {@code unsigned.transaction_id} for the sending device.
 */
public final class ClientEvents {

    private ClientEvents() {
    }

    public static ObjectNode format(RoomReader reader, Domain domain, StoredEvent event, Requester requester) {
        return format(reader, domain, event, requester == null ? null : requester.userId(),
                requester == null ? null : requester.deviceId());
    }

    public static ObjectNode format(RoomReader reader, Domain domain, StoredEvent event, String userId, String deviceId) {
        Pdu pdu = event.redactedBy() != null ? event.pdu().redacted() : event.pdu();
        ObjectNode client = pdu.toClientEvent();
        ObjectNode unsigned = (ObjectNode) client.get("unsigned");
        if (event.redactedBy() != null) {
            try {
                StoredEvent redaction = reader.load(domain, event.redactedBy());
                unsigned.set("redacted_because", redaction.pdu().toClientEvent());
            } catch (RuntimeException e) {
                // redaction purged: the event stays redacted
            }
        }
        if (userId != null && userId.equals(event.txnUser()) && deviceId != null && deviceId.equals(event.txnDevice())) {
            unsigned.put("transaction_id", event.txnId());
        }
        unsigned.put("age", Math.max(0, System.currentTimeMillis() - pdu.originServerTs()));
        return client;
    }

    /** Stripped state event ({@code type}, {@code state_key}, {@code content}, {@code sender}) for invites. */
    public static ObjectNode stripped(StoredEvent event) {
        ObjectNode client = event.pdu().toClientEvent();
        ObjectNode s = client.objectNode();
        s.put("type", event.type());
        s.put("state_key", event.pdu().stateKey().orElse(""));
        s.set("content", client.get("content"));
        s.put("sender", event.sender());
        return s;
    }
}
