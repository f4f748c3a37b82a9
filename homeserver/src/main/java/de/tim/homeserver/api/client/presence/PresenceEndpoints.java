package de.tim.homeserver.api.client.presence;

import java.util.LinkedHashMap;
import java.util.Map;

import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.presence.PresenceService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spec area "Presence": a user's own status, and that of users sharing a joined room with the requester (of this
 * domain, and of other servers as far as this server knows it).
 */
@RestController
public class PresenceEndpoints {

    private final PresenceService presence;

    PresenceEndpoints(PresenceService presence) {
        this.presence = presence;
    }

    record StatusRequest(String presence, String statusMsg) {
    }

    /** {@code PUT /_matrix/client/v3/presence/{userId}/status} */
    @PutMapping("/_matrix/client/v3/presence/{userId}/status")
    Map<String, Object> put(Requester requester, @PathVariable String userId, @RequestBody StatusRequest request) {
        UserPaths.requireSelf(requester, userId);
        presence.set(requester.domain(), userId, request.presence(), request.statusMsg());
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/presence/{userId}/status} */
    @GetMapping("/_matrix/client/v3/presence/{userId}/status")
    Map<String, Object> get(Requester requester, @PathVariable String userId) {
        MatrixIds.parseUserId(userId);
        PresenceService.Status status = requester.domain().isLocal(userId)
                ? presence.local(requester.domain(), requester.userId(), userId)
                : presence.remote(requester.domain(), requester.userId(), userId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("presence", status.presence());
        if (status.statusMsg() != null) {
            body.put("status_msg", status.statusMsg());
        }
        if (status.lastActiveAgo() != null) {
            body.put("last_active_ago", status.lastActiveAgo());
        }
        if (status.currentlyActive() != null) {
            body.put("currently_active", status.currentlyActive());
        }
        return body;
    }
}
