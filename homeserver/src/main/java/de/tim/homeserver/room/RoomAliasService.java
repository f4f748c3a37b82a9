package de.tim.homeserver.room;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.RoomAlias;
import org.bson.Document;
import org.springframework.stereotype.Service;

/** Room aliases of this domain and the local room directory flag ("Room aliases", "Listing rooms"). */
@Service
public class RoomAliasService {

    private final RoomRepository rooms;
    private final StateRepository state;
    private final RoomService service;

    RoomAliasService(RoomRepository rooms, StateRepository state, RoomService service) {
        this.rooms = rooms;
        this.state = state;
        this.service = service;
    }

    public void putAlias(Requester requester, String alias, String roomId) {
        Domain domain = requester.domain();
        RoomAlias parsed = parseLocalAlias(domain, alias);
        RoomService.MatrixIdsCheck.roomId(roomId);
        service.requireRoom(domain, roomId);
        if (!rooms.insertAlias(domain.database(), parsed.value(), roomId, requester.userId())) {
            throw new MatrixException(409, "M_UNKNOWN", "Room alias already exists");
        }
    }

    public String resolveAlias(Domain domain, String alias) {
        return resolve(rooms, domain, alias);
    }

    static String resolve(RoomRepository rooms, Domain domain, String alias) {
        RoomAlias parsed = parseAlias(alias);
        if (!parsed.domain().toString().equals(domain.serverName())) {
            throw MatrixException.notFound("Room alias not found (aliases of other servers need federation)");
        }
        Document doc = rooms.findAlias(domain.database(), parsed.value());
        if (doc == null) {
            throw MatrixException.notFound("Room alias not found");
        }
        return doc.getString("room_id");
    }

    public void deleteAlias(Requester requester, String alias, boolean admin) {
        Domain domain = requester.domain();
        RoomAlias parsed = parseLocalAlias(domain, alias);
        Document doc = rooms.findAlias(domain.database(), parsed.value());
        if (doc == null) {
            throw MatrixException.notFound("Room alias not found");
        }
        if (!admin && !requester.userId().equals(doc.getString("creator"))) {
            throw MatrixException.forbidden("Only the alias creator or a server admin can delete it");
        }
        rooms.deleteAlias(domain.database(), parsed.value());
    }

    public List<String> aliases(Domain domain, String roomId) {
        return rooms.aliases(domain.database(), roomId);
    }

    /** Publishes or hides the room in the local room directory. */
    public void setDirectoryVisibility(Requester requester, String roomId, String visibility, boolean admin) {
        Domain domain = requester.domain();
        service.requireRoom(domain, roomId);
        if (!"public".equals(visibility) && !"private".equals(visibility)) {
            throw MatrixException.badJson("visibility must be public or private");
        }
        Map<StateKey, StateEntry> current = state.current(domain.database(), roomId);
        StateEntry member = current.get(StateKey.member(requester.userId()));
        if (!admin && (member == null || !"join".equals(member.value()))) {
            throw MatrixException.forbidden("Only members can change the directory visibility");
        }
        rooms.setPublic(domain.database(), roomId, "public".equals(visibility));
    }

    public String directoryVisibility(Domain domain, String roomId) {
        Document room = service.requireRoom(domain, roomId);
        return room.getBoolean("public", false) ? "public" : "private";
    }

    private static RoomAlias parseAlias(String alias) {
        try {
            return RoomAlias.parse(alias);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw MatrixException.invalidParam("Invalid room alias");
        }
    }

    private static RoomAlias parseLocalAlias(Domain domain, String alias) {
        RoomAlias parsed = parseAlias(alias);
        if (!parsed.domain().toString().equals(domain.serverName())) {
            throw MatrixException.invalidParam("Room alias must be on this server");
        }
        return parsed;
    }

}
