package de.tim.homeserver.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import org.bson.Document;

/**
 * A persisted room event: the PDU as stored (not redacted), its stream position, the state groups
 * before and after it, the redaction applied to it (if any) and the sender's transaction.
 */
public record StoredEvent(Pdu pdu, long pos, String stateBefore, String stateAfter, String redactedBy,
        String txnUser, String txnDevice, String txnId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String eventId() {
        return pdu.eventId().value();
    }

    public String roomId() {
        return pdu.roomId().value();
    }

    public String type() {
        return pdu.type();
    }

    public String sender() {
        return pdu.sender().value();
    }

    static StoredEvent of(Document doc) {
        RoomVersion version = RoomVersion.fromId(doc.getString("version")).orElseThrow();
        // stored events were validated and identified when persisted; _id is their event ID
        Pdu pdu = Pdu.fromStorage(parse(doc.getString("pdu")), version, new de.tim.matrix.id.EventId(doc.getString("_id")));
        Document txn = doc.get("txn", Document.class);
        return new StoredEvent(pdu, doc.getLong("pos"), doc.getString("sg_before"), doc.getString("sg_after"),
                doc.getString("redacted_by"), txn == null ? null : txn.getString("user"),
                txn == null ? null : txn.getString("device"), txn == null ? null : txn.getString("id"));
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event is not JSON", e);
        }
    }
}
