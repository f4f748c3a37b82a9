package de.tim.homeserver.api.federation.query;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RoomAliasService;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Querying for information": profiles of our users and our room aliases. */
@RestController
public class FederationQueryEndpoints {

    private final UserService users;
    private final RoomAliasService aliases;
    private final FederationRoomReader rooms;

    FederationQueryEndpoints(UserService users, RoomAliasService aliases, FederationRoomReader rooms) {
        this.users = users;
        this.aliases = aliases;
        this.rooms = rooms;
    }

    /** {@code GET /_matrix/federation/v1/query/directory}: our aliases; {@code servers} are the servers in the room, we first. */
    @GetMapping("/_matrix/federation/v1/query/directory")
    Map<String, Object> directory(Domain domain, FederationOrigin origin,
            @RequestParam(name = "room_alias", required = false) String alias) {
        if (alias == null || alias.isEmpty()) {
            throw MatrixException.missingParam("Missing room_alias");
        }
        String roomId = aliases.resolveAlias(domain, alias);
        Set<String> servers = new LinkedHashSet<>();
        servers.add(domain.serverName());
        servers.addAll(rooms.joinedServers(domain, roomId));
        return Map.of("room_id", roomId, "servers", List.copyOf(servers));
    }

    /** {@code GET /_matrix/federation/v1/query/profile} */
    @GetMapping("/_matrix/federation/v1/query/profile")
    Map<String, Object> profile(Domain domain, FederationOrigin origin,
            @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "field", required = false) String field) {
        if (userId == null || userId.isEmpty()) {
            throw MatrixException.missingParam("Missing user_id");
        }
        if (field != null && !field.equals("displayname") && !field.equals("avatar_url")) {
            throw MatrixException.invalidParam("field must be displayname or avatar_url");
        }
        if (!domain.isLocal(userId)) {
            throw MatrixException.invalidParam("User is not local to this server");
        }
        User user = users.find(domain, userId).filter(u -> !u.deactivated())
                .orElseThrow(() -> MatrixException.notFound("Profile not found"));
        Map<String, Object> body = new LinkedHashMap<>();
        if (user.displayname() != null && (field == null || field.equals("displayname"))) {
            body.put("displayname", user.displayname());
        }
        if (user.avatarUrl() != null && (field == null || field.equals("avatar_url"))) {
            body.put("avatar_url", user.avatarUrl());
        }
        return body;
    }
}
