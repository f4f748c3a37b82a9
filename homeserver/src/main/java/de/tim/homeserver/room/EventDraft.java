package de.tim.homeserver.room;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event a local user wants to send: type, state key (null for message events), content, the event
 * a redaction redacts, and the client transaction (user, device, txn id) for idempotency.
 */
public record EventDraft(String type, String stateKey, String sender, ObjectNode content, String redacts,
        String txnDevice, String txnId) {

    public static EventDraft state(String type, String stateKey, String sender, ObjectNode content) {
        return new EventDraft(type, stateKey, sender, content, null, null, null);
    }

    public static EventDraft message(String type, String sender, ObjectNode content, String txnDevice, String txnId) {
        return new EventDraft(type, null, sender, content, null, txnDevice, txnId);
    }
}
