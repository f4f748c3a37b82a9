package de.tim.homeserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class LoginIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void loginFlows() {
        MatrixTestClient.Response r = a().get("/_matrix/client/v3/login", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("flows").findValuesAsText("type")).contains("m.login.password", "m.login.token");
    }

    @Test
    void passwordLoginWithLocalpartAndFullIdAndDeprecatedUserField() {
        TestUser user = registerA("pw");
        MatrixTestClient.Response byLocalpart = login(a(), user.localpart(), PASSWORD);
        assertThat(byLocalpart.status()).as(byLocalpart.raw()).isEqualTo(200);
        assertThat(byLocalpart.text("user_id")).isEqualTo(user.userId());
        assertThat(byLocalpart.text("device_id")).isNotBlank();
        assertThat(byLocalpart.text("home_server")).isEqualTo(A);
        assertThat(byLocalpart.body().path("well_known").path("m.homeserver").path("base_url").asText())
                .isEqualTo("https://localhost:8443/");
        assertThat(byLocalpart.body().has("refresh_token")).isFalse();
        assertThat(login(a(), user.userId(), PASSWORD).status()).isEqualTo(200);
        MatrixTestClient.Response deprecated = a().post("/_matrix/client/v3/login", null,
                Map.of("type", "m.login.password", "user", user.localpart(), "password", PASSWORD));
        assertThat(deprecated.status()).isEqualTo(200);

        MatrixTestClient.Response whoami = a().get("/_matrix/client/v3/account/whoami", byLocalpart.text("access_token"));
        assertThat(whoami.text("user_id")).isEqualTo(user.userId());
        assertThat(whoami.text("device_id")).isEqualTo(byLocalpart.text("device_id"));
        assertThat(whoami.body().path("is_guest").asBoolean(true)).isFalse();
    }

    @Test
    void failedLogins() {
        TestUser user = registerA("fail");
        MatrixTestClient.Response wrong = login(a(), user.localpart(), "wrong password");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(login(a(), "nobody-" + System.nanoTime(), PASSWORD).status()).isEqualTo(403);
        assertThat(login(a(), "@" + user.localpart() + ":b.test", PASSWORD).status()).isEqualTo(403);
        MatrixTestClient.Response unknownType = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.foo"));
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.errcode()).isEqualTo("M_UNKNOWN");
        MatrixTestClient.Response email = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.thirdparty", "medium", "email", "address", "x@y"), "password", "x"));
        assertThat(email.status()).isEqualTo(400);
    }

    @Test
    void loginWithExistingDeviceIdReplacesItsToken() {
        TestUser user = registerA("dev");
        MatrixTestClient.Response first = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user.localpart()), "password", PASSWORD,
                "device_id", "MYDEVICE", "initial_device_display_name", "Phone"));
        assertThat(first.text("device_id")).isEqualTo("MYDEVICE");
        MatrixTestClient.Response second = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user.localpart()), "password", PASSWORD, "device_id", "MYDEVICE"));
        assertThat(second.text("device_id")).isEqualTo("MYDEVICE");
        assertThat(a().get("/_matrix/client/v3/account/whoami", first.text("access_token")).status()).isEqualTo(401);
        assertThat(a().get("/_matrix/client/v3/account/whoami", second.text("access_token")).status()).isEqualTo(200);
        MatrixTestClient.Response device = a().get("/_matrix/client/v3/devices/MYDEVICE", second.text("access_token"));
        assertThat(device.text("display_name")).isEqualTo("Phone");
    }

    @Test
    void logoutAndLogoutAll() {
        TestUser user = registerA("logout");
        String second = login(a(), user.localpart(), PASSWORD).text("access_token");
        String third = login(a(), user.localpart(), PASSWORD).text("access_token");
        assertThat(a().post("/_matrix/client/v3/logout", second, null).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", second).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(a().get("/_matrix/client/v3/account/whoami", third).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/devices", third).body().path("devices").size()).isEqualTo(2);
        assertThat(a().post("/_matrix/client/v3/logout/all", third, null).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", third).status()).isEqualTo(401);
        assertThat(a().get("/_matrix/client/v3/account/whoami", user.accessToken()).status()).isEqualTo(401);
        String fresh = login(a(), user.localpart(), PASSWORD).text("access_token");
        assertThat(a().get("/_matrix/client/v3/devices", fresh).body().path("devices").size()).isEqualTo(1);
    }

    @Test
    void refreshTokens() {
        TestUser user = registerA("refresh");
        MatrixTestClient.Response login = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user.localpart()), "password", PASSWORD, "refresh_token", true));
        assertThat(login.body().path("expires_in_ms").asLong()).isPositive();
        String access1 = login.text("access_token");
        String refresh1 = login.text("refresh_token");
        assertThat(refresh1).isNotBlank();

        MatrixTestClient.Response refreshed = a().post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", refresh1));
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
        String access2 = refreshed.text("access_token");
        String refresh2 = refreshed.text("refresh_token");
        assertThat(refreshed.body().path("expires_in_ms").asLong()).isPositive();
        // old access token invalid at once
        assertThat(a().get("/_matrix/client/v3/account/whoami", access1).status()).isEqualTo(401);
        // old refresh token still valid until the new pair is used: repeat gives another pair
        MatrixTestClient.Response again = a().post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", refresh1));
        assertThat(again.status()).isEqualTo(200);
        // using the newest access token revokes refresh1
        String access3 = again.text("access_token");
        assertThat(a().get("/_matrix/client/v3/account/whoami", access3).status()).isEqualTo(200);
        MatrixTestClient.Response revoked = a().post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", refresh1));
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(revoked.body().path("soft_logout").asBoolean(true)).isFalse();
        assertThat(a().post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", "garbage")).status()).isEqualTo(401);
        assertThat(a().post("/_matrix/client/v3/refresh", null, Map.of()).status()).isEqualTo(400);
        assertThat(access2).isNotEqualTo(access3);
        assertThat(refresh2).isNotBlank();
    }

    @Test
    void loginTokenViaGetTokenIsSingleUse() {
        TestUser user = registerA("lt");
        MatrixTestClient.Response challenge = a().post("/_matrix/client/v1/login/get_token", user.accessToken(), Map.of());
        assertThat(challenge.status()).isEqualTo(401);
        String session = challenge.text("session");
        MatrixTestClient.Response minted = a().post("/_matrix/client/v1/login/get_token", user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, session)));
        assertThat(minted.status()).as(minted.raw()).isEqualTo(200);
        String token = minted.text("login_token");
        assertThat(minted.body().path("expires_in_ms").asLong()).isPositive();

        MatrixTestClient.Response login = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.token", "token", token));
        assertThat(login.status()).as(login.raw()).isEqualTo(200);
        assertThat(login.text("user_id")).isEqualTo(user.userId());
        MatrixTestClient.Response reuse = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.token", "token", token));
        assertThat(reuse.status()).isEqualTo(403);
        assertThat(reuse.errcode()).isEqualTo("M_FORBIDDEN");
        // a token of domain a is not valid on b
        String another = a().post("/_matrix/client/v1/login/get_token", user.accessToken(),
                Map.of("auth", passwordAuth(user, PASSWORD, null))).text("login_token");
        assertThat(b().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.token", "token", another)).status())
                .isEqualTo(403);
    }
}
