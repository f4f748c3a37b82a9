package de.tim.homeserver.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class SynapseAdminIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void onlyAdminsOfTheDomain() {
        TestUser user = registerA("plain");
        MatrixTestClient.Response r = a().get("/_synapse/admin/v2/users", user.accessToken());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(a().get("/_synapse/admin/v1/server_version", null).status()).isEqualTo(401);
        TestUser admin = adminA();
        assertThat(a().get("/_synapse/admin/v1/server_version", admin.accessToken()).text("server_version"))
                .startsWith("tim-homeserver");
        // an admin of a is nobody on b
        assertThat(b().get("/_synapse/admin/v2/users", admin.accessToken()).status()).isEqualTo(401);
        assertThat(a().get("/_synapse/admin/v2/users/@x:b.test", admin.accessToken()).status()).isEqualTo(400);
    }

    @Test
    void createModifyAndListUsers() {
        TestUser admin = adminA();
        String marker = "adm" + System.nanoTime() % 100000;
        String userId = "@" + marker + "-carol:a.test";
        MatrixTestClient.Response created = a().put("/_synapse/admin/v2/users/" + userId, admin.accessToken(),
                Map.of("password", PASSWORD, "displayname", "Carol " + marker, "admin", false));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("name")).isEqualTo(userId);
        assertThat(created.text("displayname")).isEqualTo("Carol " + marker);
        assertThat(login(a(), userId, PASSWORD).status()).isEqualTo(200);

        MatrixTestClient.Response modified = a().put("/_synapse/admin/v2/users/" + userId, admin.accessToken(),
                Map.of("displayname", "Dr. Carol", "admin", true));
        assertThat(modified.status()).isEqualTo(200);
        assertThat(modified.body().path("admin").asBoolean()).isTrue();
        assertThat(a().get("/_synapse/admin/v2/users/" + userId, admin.accessToken()).text("displayname")).isEqualTo("Dr. Carol");
        assertThat(a().get("/_synapse/admin/v2/users/@nobody-" + marker + ":a.test", admin.accessToken()).status()).isEqualTo(404);

        for (int i = 0; i < 3; i++) {
            a().put("/_synapse/admin/v2/users/@" + marker + "-u" + i + ":a.test", admin.accessToken(), Map.of());
        }
        MatrixTestClient.Response page1 = a().get("/_synapse/admin/v2/users?name=" + marker + "&limit=2", admin.accessToken());
        assertThat(page1.body().path("total").asInt()).isEqualTo(4);
        assertThat(page1.body().path("users").size()).isEqualTo(2);
        assertThat(page1.text("next_token")).isEqualTo("2");
        MatrixTestClient.Response page2 = a().get("/_synapse/admin/v2/users?name=" + marker + "&limit=2&from=2",
                admin.accessToken());
        assertThat(page2.body().path("users").size()).isEqualTo(2);
        assertThat(page2.body().has("next_token")).isFalse();
        assertThat(a().get("/_synapse/admin/v2/users?limit=-1", admin.accessToken()).status()).isEqualTo(400);
        assertThat(a().get("/_synapse/admin/v2/users?limit=abc", admin.accessToken()).errcode()).isEqualTo("M_INVALID_PARAM");

        // deactivate via PUT, then list hides it unless deactivated=true
        assertThat(a().put("/_synapse/admin/v2/users/@" + marker + "-u0:a.test", admin.accessToken(),
                Map.of("deactivated", true)).body().path("deactivated").asBoolean()).isTrue();
        assertThat(a().get("/_synapse/admin/v2/users?name=" + marker, admin.accessToken()).body().path("total").asInt())
                .isEqualTo(3);
        assertThat(a().get("/_synapse/admin/v2/users?name=" + marker + "&deactivated=true", admin.accessToken())
                .body().path("total").asInt()).isEqualTo(4);
        assertThat(a().put("/_synapse/admin/v2/users/@" + marker + "-u0:a.test", admin.accessToken(),
                Map.of("deactivated", false)).status()).isEqualTo(400);
        assertThat(a().put("/_synapse/admin/v2/users/@" + marker + "-u0:a.test", admin.accessToken(),
                Map.of("deactivated", false, "password", PASSWORD)).status()).isEqualTo(200);
        assertThat(login(a(), "@" + marker + "-u0:a.test", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void deactivateResetPasswordDevicesAccountData() {
        TestUser admin = adminA();
        TestUser user = registerA("managed");
        String second = login(a(), user.localpart(), PASSWORD).text("device_id");
        a().put("/_matrix/client/v3/user/" + user.userId() + "/account_data/org.example", user.accessToken(), Map.of("k", "v"));
        a().put("/_matrix/client/v3/user/" + user.userId() + "/rooms/!r:a.test/account_data/org.example.r",
                user.accessToken(), Map.of("k", 1));

        MatrixTestClient.Response data = a().get("/_synapse/admin/v1/users/" + user.userId() + "/accountdata", admin.accessToken());
        assertThat(data.body().path("account_data").path("global").path("org.example").path("k").asText()).isEqualTo("v");
        assertThat(data.body().path("account_data").path("rooms").path("!r:a.test").path("org.example.r").path("k").asInt())
                .isEqualTo(1);

        MatrixTestClient.Response devices = a().get("/_synapse/admin/v2/users/" + user.userId() + "/devices", admin.accessToken());
        assertThat(devices.body().path("total").asInt()).isEqualTo(2);
        assertThat(devices.body().path("devices").get(0).path("user_id").asText()).isEqualTo(user.userId());
        assertThat(a().get("/_synapse/admin/v2/users/" + user.userId() + "/devices/" + second, admin.accessToken()).status())
                .isEqualTo(200);
        assertThat(a().delete("/_synapse/admin/v2/users/" + user.userId() + "/devices/" + second, admin.accessToken(), null)
                .status()).isEqualTo(200);
        assertThat(a().get("/_synapse/admin/v2/users/" + user.userId() + "/devices", admin.accessToken())
                .body().path("total").asInt()).isEqualTo(1);
        String third = login(a(), user.localpart(), PASSWORD).text("device_id");
        assertThat(a().post("/_synapse/admin/v2/users/" + user.userId() + "/delete_devices", admin.accessToken(),
                Map.of("devices", List.of(third))).status()).isEqualTo(200);

        assertThat(a().post("/_synapse/admin/v1/reset_password/" + user.userId(), admin.accessToken(), Map.of()).status())
                .isEqualTo(400);
        assertThat(a().post("/_synapse/admin/v1/reset_password/" + user.userId(), admin.accessToken(),
                Map.of("new_password", "reset password 1")).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", user.accessToken()).status()).isEqualTo(401);
        assertThat(login(a(), user.localpart(), "reset password 1").status()).isEqualTo(200);

        MatrixTestClient.Response deactivated = a().post("/_synapse/admin/v1/deactivate/" + user.userId(), admin.accessToken(),
                Map.of("erase", true));
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.text("id_server_unbind_result")).isEqualTo("success");
        assertThat(login(a(), user.localpart(), "reset password 1").status()).isEqualTo(403);
        MatrixTestClient.Response details = a().get("/_synapse/admin/v2/users/" + user.userId(), admin.accessToken());
        assertThat(details.body().path("deactivated").asBoolean()).isTrue();
        assertThat(details.body().path("erased").asBoolean()).isTrue();
        assertThat(a().post("/_synapse/admin/v1/deactivate/@nobody:a.test", admin.accessToken(), Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void adminMintedLoginToken() {
        TestUser admin = adminA();
        TestUser user = registerA("minted");
        MatrixTestClient.Response minted = a().post("/_tim/admin/v1/users/" + user.userId() + "/login_token",
                admin.accessToken(), null);
        assertThat(minted.status()).as(minted.raw()).isEqualTo(200);
        MatrixTestClient.Response login = a().post("/_matrix/client/v3/login", null,
                Map.of("type", "m.login.token", "token", minted.text("login_token")));
        assertThat(login.text("user_id")).isEqualTo(user.userId());
        assertThat(a().post("/_tim/admin/v1/users/" + user.userId() + "/login_token", user.accessToken(), null).status())
                .isEqualTo(403);
    }
}
