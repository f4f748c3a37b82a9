package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class DeviceAndAccountIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void listGetRenameDevices() {
        TestUser user = registerA("devices");
        MatrixTestClient.Response list = a().get("/_matrix/client/v3/devices", user.accessToken());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("devices").findValuesAsText("device_id")).containsExactly(user.deviceId());
        assertThat(list.body().path("devices").get(0).has("last_seen_ts")).isTrue();
        assertThat(a().put("/_matrix/client/v3/devices/" + user.deviceId(), user.accessToken(),
                Map.of("display_name", "Laptop")).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/devices/" + user.deviceId(), user.accessToken()).text("display_name"))
                .isEqualTo("Laptop");
        assertThat(a().get("/_matrix/client/v3/devices/NOPE", user.accessToken()).status()).isEqualTo(404);
        assertThat(a().put("/_matrix/client/v3/devices/NOPE", user.accessToken(), Map.of("display_name", "x")).status())
                .isEqualTo(404);
        // other users' devices are invisible
        TestUser other = registerA("devices-other");
        assertThat(a().get("/_matrix/client/v3/devices/" + user.deviceId(), other.accessToken()).status()).isEqualTo(404);
    }

    @Test
    void deleteDeviceNeedsUserInteractiveAuth() {
        TestUser user = registerA("deldev");
        String second = login(a(), user.localpart(), PASSWORD).text("device_id");
        MatrixTestClient.Response challenge = a().delete("/_matrix/client/v3/devices/" + second, user.accessToken(), null);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.body().path("flows").get(0).path("stages").get(0).asText()).isEqualTo("m.login.password");
        assertThat(challenge.body().has("params")).isTrue();
        String session = challenge.text("session");
        assertThat(session).isNotBlank();

        MatrixTestClient.Response wrong = a().delete("/_matrix/client/v3/devices/" + second, user.accessToken(),
                Map.of("auth", passwordAuth(user, "wrong", session)));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(wrong.text("session")).isEqualTo(session);

        MatrixTestClient.Response ok = a().delete("/_matrix/client/v3/devices/" + second, user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, session)));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/devices/" + second, user.accessToken()).status()).isEqualTo(404);
        // the session is used up
        assertThat(a().delete("/_matrix/client/v3/devices/" + second, user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, session))).status()).isEqualTo(400);
        assertThat(a().delete("/_matrix/client/v3/devices/x", user.accessToken(),
                Map.of("auth", Map.of("type", "m.login.password", "session", "unknown", "password", PASSWORD))).status())
                .isEqualTo(400);
        // a session of another operation does not count
        String passwordSession = a().post("/_matrix/client/v3/account/password", user.accessToken(),
                Map.of("new_password", "whatever 123")).text("session");
        assertThat(a().delete("/_matrix/client/v3/devices/x", user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, passwordSession))).status()).isEqualTo(400);
    }

    @Test
    void deleteDevicesInBulk() {
        TestUser user = registerA("bulk");
        String d2 = login(a(), user.localpart(), PASSWORD).text("device_id");
        String d3Token = login(a(), user.localpart(), PASSWORD).text("access_token");
        String d3 = a().get("/_matrix/client/v3/account/whoami", d3Token).text("device_id");
        assertThat(a().post("/_matrix/client/v3/delete_devices", user.accessToken(), Map.of("devices", List.of(d2, d3)))
                .status()).isEqualTo(401);
        assertThat(a().post("/_matrix/client/v3/delete_devices", user.accessToken(), Map.of("auth", Map.of())).status())
                .isEqualTo(400);
        MatrixTestClient.Response ok = a().post("/_matrix/client/v3/delete_devices", user.accessToken(),
                Map.of("devices", List.of(d2, d3), "auth", passwordAuth(user, PASSWORD, null)));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", d3Token).status()).isEqualTo(401);
        assertThat(a().get("/_matrix/client/v3/devices", user.accessToken()).body().path("devices").size()).isEqualTo(1);
    }

    @Test
    void uiaForAnotherUsersIdentityIsForbidden() {
        TestUser user = registerA("uia-a");
        TestUser other = registerA("uia-b");
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/delete_devices", user.accessToken(),
                Map.of("devices", List.of(), "auth", passwordAuth(other, PASSWORD, null)));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void changePasswordLogsOutOtherDevicesByDefault() {
        TestUser user = registerA("chpw");
        String other = login(a(), user.localpart(), PASSWORD).text("access_token");
        assertThat(a().post("/_matrix/client/v3/account/password", user.accessToken(), Map.of("new_password", "new password 1"))
                .status()).isEqualTo(401);
        MatrixTestClient.Response weak = a().post("/_matrix/client/v3/account/password", user.accessToken(),
                Map.of("new_password", "short", "auth", passwordAuth(user, PASSWORD, null)));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.errcode()).isEqualTo("M_WEAK_PASSWORD");
        MatrixTestClient.Response ok = a().post("/_matrix/client/v3/account/password", user.accessToken(),
                Map.of("new_password", "new password 1", "auth", passwordAuth(user, PASSWORD, null)));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", user.accessToken()).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", other).status()).isEqualTo(401);
        assertThat(login(a(), user.localpart(), PASSWORD).status()).isEqualTo(403);
        String third = login(a(), user.localpart(), "new password 1").text("access_token");
        assertThat(third).isNotBlank();
        // logout_devices false keeps other sessions
        assertThat(a().post("/_matrix/client/v3/account/password", user.accessToken(), Map.of("new_password", "new password 2",
                "logout_devices", false, "auth", passwordAuth(user, "new password 1", null))).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", third).status()).isEqualTo(200);
    }

    @Test
    void deactivateAccount() {
        TestUser user = registerA("deact");
        assertThat(a().post("/_matrix/client/v3/account/deactivate", user.accessToken(), Map.of()).status()).isEqualTo(401);
        MatrixTestClient.Response ok = a().post("/_matrix/client/v3/account/deactivate", user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, null), "erase", true));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.text("id_server_unbind_result")).isEqualTo("no-support");
        assertThat(a().get("/_matrix/client/v3/account/whoami", user.accessToken()).status()).isEqualTo(401);
        assertThat(login(a(), user.localpart(), PASSWORD).status()).isEqualTo(403);
        TestUser viewer = registerA("viewer");
        assertThat(a().get("/_matrix/client/v3/profile/" + user.userId(), viewer.accessToken()).status()).isEqualTo(404);
        assertThat(a().get("/_matrix/client/v3/register/available?username=" + user.localpart(), null).errcode())
                .isEqualTo("M_USER_IN_USE");
    }
}
