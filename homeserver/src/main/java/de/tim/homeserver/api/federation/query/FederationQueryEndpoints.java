package de.tim.homeserver.api.federation.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
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

    FederationQueryEndpoints(UserService users, RoomAliasService aliases) {
        this.users = users;
        this.aliases = aliases;
    }

    /** {@code GET /_matrix/federation/v1/query/directory}: our aliases only; we are resident in their rooms. */
    @GetMapping("/_matrix/federation/v1/query/directory")
    Map<String, Object> directory(Domain domain, FederationOrigin origin,
            @RequestParam(name = "room_alias", required = false) String alias) {
        if (alias == null || alias.isEmpty()) {
            throw MatrixException.missingParam("Missing room_alias");
        }
        return Map.of("room_id", aliases.resolveAlias(domain, alias), "servers", List.of(domain.serverName()));
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
