package de.tim.homeserver.api.client.profile;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.OptionalAuth;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.query.RemoteProfileService;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.user.ProfileProperties;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Profiles". Lookups of users of other domains need federation and answer 404 until it exists. */
@RestController
public class ProfileEndpoints {

    private static final int MAX_DISPLAYNAME = 256;

    private final UserService users;
    private final ProfileProperties properties;

    private final RemoteProfileService remoteProfiles;

    ProfileEndpoints(UserService users, ProfileProperties properties, RemoteProfileService remoteProfiles) {
        this.remoteProfiles = remoteProfiles;
        this.users = users;
        this.properties = properties;
    }

    /** {@code GET /_matrix/client/v3/profile/{userId}} */
    @GetMapping("/_matrix/client/v3/profile/{userId}")
    Map<String, Object> profile(Domain domain, @OptionalAuth Requester requester, @PathVariable String userId) {
        if (isRemote(domain, requester, userId)) {
            return remoteProfiles.profile(domain, userId, null);
        }
        User user = lookup(domain, requester, userId);
        Map<String, Object> body = new LinkedHashMap<>();
        if (user.displayname() != null) {
            body.put("displayname", user.displayname());
        }
        if (user.avatarUrl() != null) {
            body.put("avatar_url", user.avatarUrl());
        }
        return body;
    }

    /** {@code GET /_matrix/client/v3/profile/{userId}/displayname} */
    @GetMapping("/_matrix/client/v3/profile/{userId}/displayname")
    Map<String, Object> displayname(Domain domain, @OptionalAuth Requester requester, @PathVariable String userId) {
        if (isRemote(domain, requester, userId)) {
            return remoteProfiles.profile(domain, userId, "displayname");
        }
        User user = lookup(domain, requester, userId);
        return user.displayname() == null ? Map.of() : Map.of("displayname", user.displayname());
    }

    /** {@code GET /_matrix/client/v3/profile/{userId}/avatar_url} */
    @GetMapping("/_matrix/client/v3/profile/{userId}/avatar_url")
    Map<String, Object> avatarUrl(Domain domain, @OptionalAuth Requester requester, @PathVariable String userId) {
        if (isRemote(domain, requester, userId)) {
            return remoteProfiles.profile(domain, userId, "avatar_url");
        }
        User user = lookup(domain, requester, userId);
        return user.avatarUrl() == null ? Map.of() : Map.of("avatar_url", user.avatarUrl());
    }

    /** {@code PUT /_matrix/client/v3/profile/{userId}/displayname} */
    @PutMapping("/_matrix/client/v3/profile/{userId}/displayname")
    Map<String, Object> setDisplayname(Requester requester, @PathVariable String userId, @RequestBody JsonNode body) {
        UserPaths.requireSelf(requester, userId);
        if (!properties.allowDisplaynameChange()) {
            throw MatrixException.forbidden("Changing the display name is disabled");
        }
        JsonNode value = body.path("displayname");
        if (!body.isObject() || !(value.isTextual() || value.isNull() || value.isMissingNode())) {
            throw MatrixException.badJson("displayname must be a string");
        }
        String name = value.isTextual() ? value.asText() : null;
        if (name != null && name.length() > MAX_DISPLAYNAME) {
            throw MatrixException.badJson("displayname too long");
        }
        users.setDisplayname(requester.domain(), userId, name);
        return Map.of();
    }

    /** {@code PUT /_matrix/client/v3/profile/{userId}/avatar_url} */
    @PutMapping("/_matrix/client/v3/profile/{userId}/avatar_url")
    Map<String, Object> setAvatarUrl(Requester requester, @PathVariable String userId, @RequestBody JsonNode body) {
        UserPaths.requireSelf(requester, userId);
        if (!properties.allowAvatarChange()) {
            throw MatrixException.forbidden("Changing the avatar is disabled");
        }
        JsonNode value = body.path("avatar_url");
        if (!body.isObject() || !(value.isTextual() || value.isNull() || value.isMissingNode())) {
            throw MatrixException.badJson("avatar_url must be a string");
        }
        String url = value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
        if (url != null && !url.startsWith("mxc://")) {
            throw MatrixException.badJson("avatar_url must be an mxc:// URI");
        }
        users.setAvatarUrl(requester.domain(), userId, url);
        return Map.of();
    }

    /** A user of another server: asked over federation, only for authenticated requesters (no anonymous relay). */
    private static boolean isRemote(Domain domain, Requester requester, String userId) {
        MatrixIds.parseUserId(userId);
        if (domain.isLocal(userId)) {
            return false;
        }
        if (requester == null) {
            throw MatrixException.missingToken();
        }
        return true;
    }

    private User lookup(Domain domain, Requester requester, String userId) {
        if (requester == null && properties.requireAuth()) {
            throw MatrixException.missingToken();
        }
        MatrixIds.parseUserId(userId);
        if (!domain.isLocal(userId)) {
            throw MatrixException.notFound("Profile not found");
        }
        return users.find(domain, userId).filter(u -> !u.deactivated())
                .orElseThrow(() -> MatrixException.notFound("Profile not found"));
    }
}
