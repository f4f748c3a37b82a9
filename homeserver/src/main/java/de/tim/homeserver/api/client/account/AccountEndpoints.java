package de.tim.homeserver.api.client.account;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.UiaService;
import de.tim.homeserver.user.PasswordProperties;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Account management": whoami, password change, deactivation. */
@RestController
public class AccountEndpoints {

    private final UserService users;
    private final UiaService uia;
    private final PasswordProperties passwords;

    AccountEndpoints(UserService users, UiaService uia, PasswordProperties passwords) {
        this.users = users;
        this.uia = uia;
        this.passwords = passwords;
    }

    /** {@code GET /_matrix/client/v3/account/whoami} */
    @GetMapping("/_matrix/client/v3/account/whoami")
    Map<String, Object> whoami(Requester requester) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", requester.userId());
        body.put("device_id", requester.deviceId());
        body.put("is_guest", false);
        return body;
    }

    /** {@code GET /_matrix/client/v3/account/3pid}: this server binds no third-party identifiers (capability {@code m.3pid_changes} off). */
    @GetMapping("/_matrix/client/v3/account/3pid")
    Map<String, Object> threepids(Requester requester) {
        return Map.of("threepids", java.util.List.of());
    }

    record PasswordRequest(String newPassword, Boolean logoutDevices, JsonNode auth) {
        @Override
        public String toString() {
            return "PasswordRequest";
        }
    }

    /** {@code POST /_matrix/client/v3/account/password} */
    @PostMapping("/_matrix/client/v3/account/password")
    Map<String, Object> password(Requester requester, @RequestBody PasswordRequest request) {
        uia.authenticate(requester, request.auth(), "password");
        if (request.newPassword() == null) {
            throw MatrixException.badJson("Missing new_password");
        }
        if (request.newPassword().length() < passwords.minimumLength()) {
            throw new MatrixException(400, MatrixErrorCodes.M_WEAK_PASSWORD,
                    "Password must have at least " + passwords.minimumLength() + " characters");
        }
        boolean logout = request.logoutDevices() == null || request.logoutDevices();
        users.setPassword(requester.domain(), requester.userId(), request.newPassword(), logout, requester.deviceId());
        return Map.of();
    }

    record DeactivateRequest(JsonNode auth, Boolean erase, String idServer) {
    }

    /** {@code POST /_matrix/client/v3/account/deactivate} */
    @PostMapping("/_matrix/client/v3/account/deactivate")
    Map<String, Object> deactivate(Requester requester, @RequestBody DeactivateRequest request) {
        uia.authenticate(requester, request.auth(), "deactivate");
        users.deactivate(requester.domain(), requester.userId(), Boolean.TRUE.equals(request.erase()));
        return Map.of("id_server_unbind_result", "no-support");
    }
}
