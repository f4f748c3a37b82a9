package de.tim.homeserver.room;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.json.CanonicalJson;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Memberships of local users in rooms this server is not in (yet): an invite received from another
 * server, and the leave that rejects it. The room gets a document without state (no head), the event is
 * stored with a stream position and becomes the user's current membership, so {@code /sync} lists the
 * invite (with the {@code invite_room_state} the inviting server sent) or the rejection. Joining later
 * imports the room's real state on top ({@link RemoteRoomImport}).
 */
@Component
public class RemoteInviteStore {

    /** Field of the room document holding the stripped state sent with an invite (JSON text). */
    static final String INVITE_ROOM_STATE = "invite_room_state";
    static final String GROUP_PREFIX = "sg:outlier:";

    private final RoomRepository rooms;
    private final EventRepository events;
    private final StateRepository state;
    private final EventPersister persister;

    RemoteInviteStore(RoomRepository rooms, EventRepository events, StateRepository state, EventPersister persister) {
        this.rooms = rooms;
        this.events = events;
        this.state = state;
        this.persister = persister;
    }

    /** Stores the (countersigned) invite of a local user; idempotent. */
    public StoredEvent storeInvite(Domain domain, Pdu invite, List<ObjectNode> inviteRoomState) {
        MongoDatabase db = domain.database();
        String roomId = invite.roomId().value();
        rooms.insert(db, roomId, invite.roomVersion().id(), invite.sender().value(), false, System.currentTimeMillis());
        ObjectNode stripped = JsonNodeFactory.instance.objectNode();
        stripped.putArray("events").addAll(inviteRoomState);
        rooms.setField(db, roomId, INVITE_ROOM_STATE, CanonicalJson.encodeToString(stripped));
        return storeMembership(domain, invite);
    }

    /** Whether {@code event} is a membership stored here outside the room's graph (by this class). */
    public static boolean isOutOfGraph(StoredEvent event) {
        return (GROUP_PREFIX + event.eventId()).equals(event.stateAfter());
    }

    /**
     * Stores a membership event outside the room's graph (the rejection of a remote invite, an invite or knock
     * rescinded by the room); idempotent. The state before it is the user's previous membership if that was stored
     * here the same way (so the user sees their own leave after an invite, as after a local one).
     */
    public StoredEvent storeMembership(Domain domain, Pdu event) {
        MongoDatabase db = domain.database();
        String roomId = event.roomId().value();
        Document existing = events.find(db, event.eventId().value());
        if (existing != null) {
            return StoredEvent.of(existing);
        }
        StateKey member = StateKey.member(event.stateKey().orElseThrow());
        String group = state.createSnapshot(db, roomId, GROUP_PREFIX + event.eventId().value(),
                Map.of(member, EventPersister.entryOf(event)));
        Document intent = new Document("event_id", event.eventId().value()).append("version", event.roomVersion().id())
                .append("pdu", CanonicalJson.encodeToString(event.json())).append("sg_before", previousGroup(db, roomId, member))
                .append("sg_after", group);
        return persister.complete(domain, roomId, intent);
    }

    /** The out-of-graph state group of the user's current membership, or null (none, or one in the room's graph). */
    private String previousGroup(MongoDatabase db, String roomId, StateKey member) {
        StateEntry current = state.current(db, roomId).get(member);
        if (current == null) {
            return null;
        }
        Document previous = events.find(db, current.eventId());
        String group = GROUP_PREFIX + current.eventId();
        return previous != null && group.equals(previous.getString("sg_after")) ? group : null;
    }
}
