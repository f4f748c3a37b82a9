package de.tim.homeserver.api.client.directory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.user.ProfileProperties;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "User directory": searches the active users of the requester's own domain. */
@RestController
public class UserDirectoryEndpoints {

    private static final int DEFAULT_LIMIT = 10;

    private final UserService users;
    private final ProfileProperties properties;

    UserDirectoryEndpoints(UserService users, ProfileProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    record SearchRequest(String searchTerm, Integer limit) {
    }

    /** {@code POST /_matrix/client/v3/user_directory/search} */
    @PostMapping("/_matrix/client/v3/user_directory/search")
    Map<String, Object> search(Requester requester, @RequestBody SearchRequest request) {
        if (request.searchTerm() == null) {
            throw MatrixException.badJson("Missing search_term");
        }
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 0) {
            throw MatrixException.badJson("limit must not be negative");
        }
        limit = Math.min(limit, properties.directoryMaxLimit());
        String term = request.searchTerm().trim();
        List<User> found = term.isEmpty() ? List.of() : users.search(requester.domain(), term, limit + 1);
        List<Map<String, Object>> results = found.stream().limit(limit).map(u -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("user_id", u.userId());
            if (u.displayname() != null) {
                result.put("display_name", u.displayname());
            }
            if (u.avatarUrl() != null) {
                result.put("avatar_url", u.avatarUrl());
            }
            return result;
        }).toList();
        return Map.of("limited", found.size() > limit, "results", results);
    }
}
