package de.tim.homeserver.federation.access;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.acl.ServerAcl;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.RoomId;
import org.springframework.stereotype.Service;

/**
 * Which server may use the federation endpoints of a room: the room's {@code m.room.server_acl} must
 * allow it (403 otherwise, S-S "Server Access Control Lists"), and for reads it must be in the room
 * (a joined member) or, for single events, see the event under the history visibility rules.
 */
@Service
public class RoomAccess {

    private static final StateKey SERVER_ACL = StateKey.of("m.room.server_acl", "");

    private final FederationRoomReader reader;

    RoomAccess(FederationRoomReader reader) {
        this.reader = reader;
    }

    /** The room must be known here and its ACL must admit the origin. */
    public void requireAclAllows(Domain domain, FederationOrigin origin, String roomId) {
        requireKnownRoom(domain, roomId);
        if (!ServerAcl.allows(reader.currentStateContent(domain, roomId, SERVER_ACL), origin.server())) {
            throw MatrixException.forbidden("Server is denied by the room's server ACL");
        }
    }

    /** ACL, and the origin has a joined member in the room. */
    public void requireInRoom(Domain domain, FederationOrigin origin, String roomId) {
        requireAclAllows(domain, origin, roomId);
        if (!reader.isInRoom(domain, roomId, origin.server())) {
            throw MatrixException.forbidden("Server is not in the room");
        }
    }

    /** ACL of the event's room, and the origin may see the event. */
    public void requireMaySee(Domain domain, FederationOrigin origin, StoredEvent event) {
        requireAclAllows(domain, origin, event.roomId());
        if (!reader.mayServerSee(domain, event, origin.server())) {
            throw MatrixException.forbidden("Server may not see this event");
        }
    }

    private void requireKnownRoom(Domain domain, String roomId) {
        try {
            RoomId.parse(roomId);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        if (!reader.isResident(domain, roomId)) {
            throw MatrixException.notFound("Room not found");
        }
    }
}
