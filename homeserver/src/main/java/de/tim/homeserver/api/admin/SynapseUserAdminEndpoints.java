package de.tim.homeserver.api.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import de.tim.homeserver.accountdata.AccountDataService;
import de.tim.homeserver.api.client.device.DeviceEndpoints;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Synapse-compatible admin API for users and devices (server admins of the request's domain only). */
@RestController
public class SynapseUserAdminEndpoints {

    private final AdminAccess access;
    private final UserService users;
    private final DeviceService devices;
    private final TokenService tokens;
    private final AccountDataService accountData;
    private final String version;

    SynapseUserAdminEndpoints(AdminAccess access, UserService users, DeviceService devices, TokenService tokens,
            AccountDataService accountData, ObjectProvider<BuildProperties> build) {
        this.access = access;
        this.users = users;
        this.devices = devices;
        this.tokens = tokens;
        this.accountData = accountData;
        BuildProperties properties = build.getIfAvailable();
        this.version = "tim-homeserver " + (properties != null ? properties.getVersion()
                : Optional.ofNullable(getClass().getPackage().getImplementationVersion()).orElse("dev"));
    }

    static Map<String, Object> toJson(User user) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", user.userId());
        json.put("displayname", user.displayname());
        json.put("avatar_url", user.avatarUrl());
        json.put("admin", user.admin());
        json.put("deactivated", user.deactivated());
        json.put("erased", user.erased());
        json.put("is_guest", false);
        json.put("locked", false);
        json.put("shadow_banned", false);
        json.put("user_type", user.userType());
        json.put("creation_ts", user.creationTs());
        json.put("threepids", List.of());
        json.put("external_ids", List.of());
        return json;
    }

    /** {@code GET /_synapse/admin/v1/server_version} */
    @GetMapping("/_synapse/admin/v1/server_version")
    Map<String, Object> serverVersion(Requester requester) {
        access.requireAdmin(requester);
        return Map.of("server_version", version);
    }

    /** {@code GET /_synapse/admin/v2/users} */
    @GetMapping("/_synapse/admin/v2/users")
    Map<String, Object> list(Requester requester, @RequestParam(defaultValue = "0") int from,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String name,
            @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(defaultValue = "false") boolean deactivated) {
        access.requireAdmin(requester);
        if (from < 0 || limit < 0) {
            throw MatrixException.invalidParam("from and limit must not be negative");
        }
        String filter = name != null ? name : userId;
        UserService.Page page = users.list(requester.domain(), from, Math.min(limit, 1000), filter, deactivated);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("users", page.users().stream().map(SynapseUserAdminEndpoints::toJson).toList());
        if (from + page.users().size() < page.total()) {
            body.put("next_token", Integer.toString(from + page.users().size()));
        }
        body.put("total", page.total());
        return body;
    }

    /** {@code GET /_synapse/admin/v2/users/{userId}} */
    @GetMapping("/_synapse/admin/v2/users/{userId}")
    Map<String, Object> get(Requester requester, @PathVariable String userId) {
        access.requireAdmin(requester);
        return toJson(users.require(requester.domain(), access.localUser(requester.domain(), userId)));
    }

    record UpsertRequest(String password, Boolean logoutDevices, String displayname, String avatarUrl, Boolean admin,
            Boolean deactivated, String userType) {
        @Override
        public String toString() {
            return "UpsertRequest";
        }
    }

    /** {@code PUT /_synapse/admin/v2/users/{userId}}: 201 when created, 200 when modified. */
    @PutMapping("/_synapse/admin/v2/users/{userId}")
    ResponseEntity<Map<String, Object>> upsert(Requester requester, @PathVariable String userId,
            @RequestBody UpsertRequest request) {
        access.requireAdmin(requester);
        var domain = requester.domain();
        access.localUser(domain, userId);
        Optional<User> existing = users.find(domain, userId);
        if (existing.isEmpty()) {
            String localpart = userId.substring(1, userId.indexOf(':'));
            users.create(domain, localpart, request.password(), request.displayname(),
                    Boolean.TRUE.equals(request.admin()), request.userType());
            if (request.avatarUrl() != null) {
                users.setAvatarUrl(domain, userId, request.avatarUrl());
            }
            if (Boolean.TRUE.equals(request.deactivated())) {
                users.deactivate(domain, userId, false);
            }
            return ResponseEntity.status(201).body(toJson(users.require(domain, userId)));
        }
        User user = existing.get();
        if (Boolean.FALSE.equals(request.deactivated()) && user.deactivated()) {
            if (request.password() == null) {
                throw MatrixException.invalidParam("Must provide a password to re-activate an account");
            }
            users.reactivate(domain, userId);
        }
        if (request.password() != null) {
            if (userId.equals(requester.userId()) && Boolean.TRUE.equals(request.deactivated())) {
                throw MatrixException.invalidParam("Cannot deactivate yourself");
            }
            users.setPassword(domain, userId, request.password(), request.logoutDevices() == null || request.logoutDevices(), null);
        }
        if (request.displayname() != null) {
            users.setDisplayname(domain, userId, request.displayname());
        }
        if (request.avatarUrl() != null) {
            users.setAvatarUrl(domain, userId, request.avatarUrl());
        }
        if (request.admin() != null) {
            if (!request.admin() && userId.equals(requester.userId())) {
                throw MatrixException.invalidParam("You may not demote yourself");
            }
            users.setAdmin(domain, userId, request.admin());
        }
        if (request.userType() != null) {
            users.setUserType(domain, userId, request.userType());
        }
        if (Boolean.TRUE.equals(request.deactivated()) && !user.deactivated()) {
            users.deactivate(domain, userId, false);
        }
        return ResponseEntity.ok(toJson(users.require(domain, userId)));
    }

    record DeactivateRequest(Boolean erase) {
    }

    /** {@code POST /_synapse/admin/v1/deactivate/{userId}} */
    @PostMapping("/_synapse/admin/v1/deactivate/{userId}")
    Map<String, Object> deactivate(Requester requester, @PathVariable String userId,
            @RequestBody(required = false) DeactivateRequest request) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        users.deactivate(requester.domain(), userId, request != null && Boolean.TRUE.equals(request.erase()));
        return Map.of("id_server_unbind_result", "success");
    }

    record ResetPasswordRequest(String newPassword, Boolean logoutDevices) {
        @Override
        public String toString() {
            return "ResetPasswordRequest";
        }
    }

    /** {@code POST /_synapse/admin/v1/reset_password/{userId}} */
    @PostMapping("/_synapse/admin/v1/reset_password/{userId}")
    Map<String, Object> resetPassword(Requester requester, @PathVariable String userId,
            @RequestBody ResetPasswordRequest request) {
        access.requireAdmin(requester);
        if (request.newPassword() == null) {
            throw MatrixException.missingParam("Missing new_password");
        }
        User user = users.require(requester.domain(), access.localUser(requester.domain(), userId));
        if (user.deactivated()) {
            throw MatrixException.invalidParam("User is deactivated");
        }
        users.setPassword(requester.domain(), userId, request.newPassword(),
                request.logoutDevices() == null || request.logoutDevices(), null);
        return Map.of();
    }

    /** {@code GET /_synapse/admin/v2/users/{userId}/devices} */
    @GetMapping("/_synapse/admin/v2/users/{userId}/devices")
    Map<String, Object> devices(Requester requester, @PathVariable String userId) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        List<Map<String, Object>> list = devices.list(requester.domain(), userId).stream().map(d -> {
            Map<String, Object> json = DeviceEndpoints.toJson(d);
            json.put("user_id", userId);
            return json;
        }).toList();
        return Map.of("devices", list, "total", list.size());
    }

    /** {@code GET /_synapse/admin/v2/users/{userId}/devices/{deviceId}} */
    @GetMapping("/_synapse/admin/v2/users/{userId}/devices/{deviceId}")
    Map<String, Object> device(Requester requester, @PathVariable String userId, @PathVariable String deviceId) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        Map<String, Object> json = DeviceEndpoints.toJson(devices.get(requester.domain(), userId, deviceId));
        json.put("user_id", userId);
        return json;
    }

    /** {@code DELETE /_synapse/admin/v2/users/{userId}/devices/{deviceId}} */
    @DeleteMapping("/_synapse/admin/v2/users/{userId}/devices/{deviceId}")
    Map<String, Object> deleteDevice(Requester requester, @PathVariable String userId, @PathVariable String deviceId) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        devices.delete(requester.domain(), userId, deviceId);
        return Map.of();
    }

    record DeleteDevicesRequest(List<String> devices) {
    }

    /** {@code POST /_synapse/admin/v2/users/{userId}/delete_devices} */
    @PostMapping("/_synapse/admin/v2/users/{userId}/delete_devices")
    Map<String, Object> deleteDevices(Requester requester, @PathVariable String userId,
            @RequestBody DeleteDevicesRequest request) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        if (request.devices() == null) {
            throw MatrixException.badJson("Missing devices");
        }
        request.devices().forEach(d -> devices.delete(requester.domain(), userId, d));
        return Map.of();
    }

    /** {@code GET /_synapse/admin/v1/users/{userId}/accountdata} */
    @GetMapping("/_synapse/admin/v1/users/{userId}/accountdata")
    Map<String, Object> accountData(Requester requester, @PathVariable String userId) {
        access.requireAdmin(requester);
        users.require(requester.domain(), access.localUser(requester.domain(), userId));
        AccountDataService.All all = accountData.all(requester.domain(), userId);
        return Map.of("account_data", Map.of("global", all.global(), "rooms", all.rooms()));
    }

    /** {@code POST /_tim/admin/v1/users/{userId}/login_token}: a single-use {@code m.login.token} for the user. */
    @PostMapping("/_tim/admin/v1/users/{userId}/login_token")
    Map<String, Object> loginToken(Requester requester, @PathVariable String userId) {
        access.requireAdmin(requester);
        User user = users.require(requester.domain(), access.localUser(requester.domain(), userId));
        if (user.deactivated()) {
            throw MatrixException.invalidParam("User is deactivated");
        }
        TokenService.Issued issued = tokens.mintLoginToken(requester.domain(), userId);
        return Map.of("login_token", issued.accessToken(), "expires_in_ms", issued.expiresInMs());
    }
}
