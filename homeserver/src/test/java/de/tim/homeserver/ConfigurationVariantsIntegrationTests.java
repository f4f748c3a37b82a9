package de.tim.homeserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The knobs that change behaviour away from the defaults, in one extra application context. */
@TestPropertySource(properties = {
        HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.registration.enabled=true",
        "tim.homeserver.trust-forwarded-host=true",
        "tim.homeserver.client.versions=v1.1,v1.2,v1.3",
        "tim.homeserver.client.unstable-features[org.matrix.msc3882]=true",
        "tim.homeserver.profile.require-auth=false",
        "tim.homeserver.profile.allow-displayname-change=false",
        "tim.homeserver.room-versions.default-version=11",
        "tim.homeserver.auth.refreshable-access-token-lifetime=1ms",
        "tim.homeserver.turn.uris=turns:turn.a.test:443?transport=tcp,turn:turn.a.test:3478",
        "tim.homeserver.turn.shared-secret=turn-secret", "tim.homeserver.turn.ttl=1h"})
class ConfigurationVariantsIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void turnCredentialsFromTheSharedSecret() throws Exception {
        TestUser user = registerA("voip");
        MatrixTestClient.Response r = a().get("/_matrix/client/v3/voip/turnServer", user.accessToken());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("ttl").asLong()).isEqualTo(3600);
        assertThat(r.body().path("uris").size()).isEqualTo(2);
        String username = r.text("username");
        assertThat(username).endsWith(":" + user.userId());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec("turn-secret".getBytes(), "HmacSHA1"));
        assertThat(r.text("password")).isEqualTo(java.util.Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes())));
        assertThat(a().get("/_matrix/client/v3/voip/turnServer", null).status()).isEqualTo(401);
    }

    @Test
    void versionsCappedForTimApproval() {
        MatrixTestClient.Response r = a().get("/_matrix/client/versions", null);
        assertThat(r.body().path("versions").toString()).isEqualTo("[\"v1.1\",\"v1.2\",\"v1.3\"]");
        assertThat(r.body().path("unstable_features").path("org.matrix.msc3882").asBoolean()).isTrue();
    }

    @Test
    void openRegistrationWithDummyAuth() {
        String localpart = uniqueLocalpart("open");
        MatrixTestClient.Response challenge = a().post("/_matrix/client/v3/register", null,
                Map.of("username", localpart, "password", PASSWORD));
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.body().path("flows").get(0).path("stages").get(0).asText()).isEqualTo("m.login.dummy");
        String session = challenge.text("session");
        MatrixTestClient.Response ok = a().post("/_matrix/client/v3/register", null, Map.of("username", localpart,
                "password", PASSWORD, "initial_device_display_name", "Web", "auth", Map.of("type", "m.login.dummy", "session", session)));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.text("user_id")).isEqualTo("@" + localpart + ":a.test");
        assertThat(a().get("/_matrix/client/v3/account/whoami", ok.text("access_token")).text("user_id")).isEqualTo(ok.text("user_id"));
        MatrixTestClient.Response taken = a().post("/_matrix/client/v3/register", null, Map.of("username", localpart,
                "password", PASSWORD, "auth", Map.of("type", "m.login.dummy")));
        assertThat(taken.errcode()).isEqualTo("M_USER_IN_USE");
        MatrixTestClient.Response weak = a().post("/_matrix/client/v3/register", null, Map.of("username", localpart + "x",
                "password", "short", "auth", Map.of("type", "m.login.dummy")));
        assertThat(weak.errcode()).isEqualTo("M_WEAK_PASSWORD");
        MatrixTestClient.Response inhibit = a().post("/_matrix/client/v3/register", null, Map.of("username", localpart + "y",
                "password", PASSWORD, "inhibit_login", true, "auth", Map.of("type", "m.login.dummy")));
        assertThat(inhibit.status()).isEqualTo(200);
        assertThat(inhibit.body().has("access_token")).isFalse();
    }

    @Test
    void forwardedHostWhenTrusted() {
        MatrixTestClient.Response r = client("gateway.internal").withHeader("X-Forwarded-Host", "localhost:9443, proxy")
                .get("/.well-known/matrix/client", null);
        assertThat(r.status()).isEqualTo(404);
        MatrixTestClient.Response b = client("gateway.internal").withHeader("X-Forwarded-Host", B)
                .get("/.well-known/matrix/client", null);
        assertThat(b.body().path("m.homeserver").path("base_url").asText()).isEqualTo("https://localhost:9443/");
    }

    @Test
    void profileWithoutAuthAndDisplaynameLocked() {
        TestUser user = registerA("open-profile");
        assertThat(a().get("/_matrix/client/v3/profile/" + user.userId(), null).status()).isEqualTo(200);
        assertThat(a().put("/_matrix/client/v3/profile/" + user.userId() + "/displayname", user.accessToken(),
                Map.of("displayname", "x")).status()).isEqualTo(403);
        MatrixTestClient.Response caps = a().get("/_matrix/client/v3/capabilities", user.accessToken());
        assertThat(caps.body().path("capabilities").path("m.set_displayname").path("enabled").asBoolean()).isFalse();
        assertThat(caps.body().path("capabilities").path("m.room_versions").path("default").asText()).isEqualTo("11");
    }

    @Test
    void expiredRefreshableTokenIsASoftLogout() {
        TestUser user = registerA("soft");
        MatrixTestClient.Response login = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", user.localpart()), "password", PASSWORD, "refresh_token", true));
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            MatrixTestClient.Response expired = a().get("/_matrix/client/v3/account/whoami", login.text("access_token"));
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
            assertThat(expired.body().path("soft_logout").asBoolean()).isTrue();
        });
        assertThat(a().post("/_matrix/client/v3/refresh", null, Map.of("refresh_token", login.text("refresh_token"))).status())
                .isEqualTo(200);
    }
}
