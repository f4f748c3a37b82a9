package de.tim.homeserver.api.client.capabilities;

import java.util.LinkedHashMap;
import java.util.Map;

import de.tim.homeserver.auth.AuthProperties;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.user.ProfileProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Capabilities negotiation". */
@RestController
public class CapabilitiesEndpoints {

    private final RoomVersionsProperties roomVersions;
    private final ProfileProperties profile;
    private final AuthProperties auth;

    CapabilitiesEndpoints(RoomVersionsProperties roomVersions, ProfileProperties profile, AuthProperties auth) {
        this.roomVersions = roomVersions;
        this.profile = profile;
        this.auth = auth;
    }

    /** {@code GET /_matrix/client/v3/capabilities} */
    @GetMapping("/_matrix/client/v3/capabilities")
    Map<String, Object> capabilities(Requester requester) {
        Map<String, String> available = new LinkedHashMap<>();
        roomVersions.supported().forEach(v -> available.put(v, "stable"));
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("m.change_password", Map.of("enabled", true));
        caps.put("m.room_versions", Map.of("default", roomVersions.defaultVersion(), "available", available));
        caps.put("m.set_displayname", Map.of("enabled", profile.allowDisplaynameChange()));
        caps.put("m.set_avatar_url", Map.of("enabled", profile.allowAvatarChange()));
        caps.put("m.3pid_changes", Map.of("enabled", false));
        caps.put("m.get_login_token", Map.of("enabled", auth.getLoginTokenEnabled()));
        return Map.of("capabilities", caps);
    }
}
