package de.tim.homeserver.api.client.room;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.OptionalAuth;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.PublicRooms;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.RoomAliasService;
import de.tim.homeserver.room.RoomProperties;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec areas "Room aliases" and "Listing rooms" (local room directory). */
@RestController
public class RoomDirectoryEndpoints {

    private final RoomAliasService rooms;
    private final RoomReader reader;
    private final PublicRooms publicRooms;
    private final UserService users;
    private final RoomProperties properties;

    RoomDirectoryEndpoints(RoomAliasService rooms, RoomReader reader, PublicRooms publicRooms, UserService users,
            RoomProperties properties) {
        this.properties = properties;
        this.rooms = rooms;
        this.reader = reader;
        this.publicRooms = publicRooms;
        this.users = users;
    }

    /** {@code PUT /_matrix/client/v3/directory/room/{roomAlias}} */
    @PutMapping("/_matrix/client/v3/directory/room/{roomAlias}")
    Map<String, Object> putAlias(Requester requester, @PathVariable String roomAlias, @RequestBody JsonNode body) {
        if (!body.isObject() || !body.path("room_id").isTextual()) {
            throw MatrixException.badJson("room_id (string) is required");
        }
        String roomId = body.get("room_id").textValue();
        reader.view(requester.domain(), requester.userId(), roomId);
        rooms.putAlias(requester, roomAlias, roomId);
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/directory/room/{roomAlias}} */
    @GetMapping("/_matrix/client/v3/directory/room/{roomAlias}")
    Map<String, Object> getAlias(Requester requester, @PathVariable String roomAlias) {
        String roomId = rooms.resolveAlias(requester.domain(), roomAlias);
        return Map.of("room_id", roomId, "servers", java.util.List.of(requester.domain().serverName()));
    }

    /** {@code DELETE /_matrix/client/v3/directory/room/{roomAlias}} */
    @DeleteMapping("/_matrix/client/v3/directory/room/{roomAlias}")
    Map<String, Object> deleteAlias(Requester requester, @PathVariable String roomAlias) {
        rooms.deleteAlias(requester, roomAlias, users.isAdmin(requester.domain(), requester.userId()));
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/rooms/{roomId}/aliases} */
    @GetMapping("/_matrix/client/v3/rooms/{roomId}/aliases")
    Map<String, Object> aliases(Requester requester, @PathVariable String roomId) {
        reader.view(requester.domain(), requester.userId(), roomId);
        return Map.of("aliases", rooms.aliases(requester.domain(), roomId));
    }

    /** {@code GET /_matrix/client/v3/directory/list/room/{roomId}} (no auth needed) */
    @GetMapping("/_matrix/client/v3/directory/list/room/{roomId}")
    Map<String, Object> visibility(Domain domain, @PathVariable String roomId) {
        return Map.of("visibility", rooms.directoryVisibility(domain, roomId));
    }

    /** {@code PUT /_matrix/client/v3/directory/list/room/{roomId}} */
    @PutMapping("/_matrix/client/v3/directory/list/room/{roomId}")
    Map<String, Object> setVisibility(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        JsonNode v = body.get("visibility");
        if (!body.isObject() || (v != null && !v.isTextual())) {
            throw MatrixException.badJson("visibility must be a string");
        }
        rooms.setDirectoryVisibility(requester, roomId, v == null ? "public" : v.textValue(),
                users.isAdmin(requester.domain(), requester.userId()));
        return Map.of();
    }

    /**
     * {@code GET /_matrix/client/v3/publicRooms} (local rooms only); without a token only when
     * {@code tim.homeserver.rooms.public-rooms-without-token} is set.
     */
    @GetMapping("/_matrix/client/v3/publicRooms")
    Map<String, Object> publicRooms(Domain domain, @OptionalAuth Requester requester, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String since, @RequestParam(required = false) String server) {
        if (requester == null && !properties.publicRoomsWithoutToken()) {
            throw MatrixException.missingToken();
        }
        return publicRooms.list(domain, server, limit, since, null);
    }

    /** {@code POST /_matrix/client/v3/publicRooms} */
    @PostMapping("/_matrix/client/v3/publicRooms")
    Map<String, Object> searchPublicRooms(Requester requester, @RequestParam(required = false) String server,
            @RequestBody JsonNode body) {
        if (!body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        JsonNode limit = body.get("limit");
        JsonNode since = body.get("since");
        JsonNode term = body.path("filter").get("generic_search_term");
        if ((limit != null && !limit.isIntegralNumber()) || (since != null && !since.isTextual()) || (term != null && !term.isTextual())) {
            throw MatrixException.badJson("Invalid publicRooms request");
        }
        return publicRooms.list(requester.domain(), server, limit == null ? null : limit.intValue(),
                since == null ? null : since.textValue(), term == null ? null : term.textValue());
    }
}
