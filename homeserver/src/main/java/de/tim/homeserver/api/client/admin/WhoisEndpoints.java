package de.tim.homeserver.api.client.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.device.Device;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spec area "Server administration": {@code GET /_matrix/client/v3/admin/whois/{userId}}, a user's sessions with the
 * address and time each device was last seen. Personal data, so only for the user themself and the domain's server
 * admins (403 {@code M_FORBIDDEN} for everyone else, whether the user exists or not); users of other servers are not
 * known here (404). This server keeps no user agents, so connections carry {@code ip} and {@code last_seen} only.
 */
@RestController
public class WhoisEndpoints {

    private final UserService users;
    private final DeviceService devices;

    WhoisEndpoints(UserService users, DeviceService devices) {
        this.users = users;
        this.devices = devices;
    }

    @GetMapping("/_matrix/client/v3/admin/whois/{userId}")
    Map<String, Object> whois(Requester requester, @PathVariable String userId) {
        MatrixIds.parseUserId(userId);
        if (!requester.userId().equals(userId) && !users.isAdmin(requester.domain(), requester.userId())) {
            throw MatrixException.forbidden("You are not a server admin");
        }
        if (!requester.domain().isLocal(userId) || users.find(requester.domain(), userId).isEmpty()) {
            throw MatrixException.notFound("Unknown user");
        }
        Map<String, Object> sessions = new LinkedHashMap<>();
        for (Device device : devices.list(requester.domain(), userId)) {
            Map<String, Object> connection = new LinkedHashMap<>();
            if (device.lastSeenIp() != null) {
                connection.put("ip", device.lastSeenIp());
            }
            if (device.lastSeenTs() != null) {
                connection.put("last_seen", device.lastSeenTs());
            }
            sessions.put(device.deviceId(), Map.of("sessions", List.of(Map.of("connections",
                    connection.isEmpty() ? List.of() : List.of(connection)))));
        }
        return Map.of("user_id", userId, "devices", sessions);
    }
}
