package de.tim.kafka.topics;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A room event as persisted by one hosted domain of a homeserver.
 *
 * @param domain         the Matrix server name of the homeserver domain that persisted the event
 * @param roomId         room id (also the record key)
 * @param eventId        event id; consumers deduplicate by (domain, eventId)
 * @param type           event type
 * @param stateKey       state key for state events, otherwise absent
 * @param sender         sender's user id
 * @param originServerTs origin_server_ts of the event
 * @param streamPosition the domain's stream position of the event: increasing in persistence order,
 *                       what {@code /sync} tokens count
 * @param outlier        true for events persisted without being part of the room's timeline (federation)
 * @param pdu            the full PDU as stored, for integrator routes; may be encrypted content
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoomEventRecord(
        String domain,
        String roomId,
        String eventId,
        String type,
        String stateKey,
        String sender,
        long originServerTs,
        long streamPosition,
        boolean outlier,
        ObjectNode pdu) {

    public RoomEventRecord {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
    }

    /** The record key: the room id, so each room's events are ordered. */
    public String key() {
        return roomId;
    }
}
