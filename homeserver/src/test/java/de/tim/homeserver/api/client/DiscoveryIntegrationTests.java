package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class DiscoveryIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void versions() {
        MatrixTestClient.Response r = a().get("/_matrix/client/versions", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("versions").toString()).contains("\"v1.1\"", "\"v1.11\"");
        assertThat(r.body().path("unstable_features").isObject()).isTrue();
    }

    @Test
    void wellKnownClientAndSupport() {
        MatrixTestClient.Response client = a().get("/.well-known/matrix/client", null);
        assertThat(client.body().path("m.homeserver").path("base_url").asText()).isEqualTo("https://localhost:8443/");
        assertThat(client.body().path("org.example.extra").path("enabled").asBoolean()).isTrue();
        MatrixTestClient.Response support = a().get("/.well-known/matrix/support", null);
        assertThat(support.status()).isEqualTo(200);
        assertThat(support.text("support_page")).isEqualTo("https://a.test/support");
        assertThat(support.body().path("contacts").get(0).path("matrix_id").asText()).isEqualTo("@admin:a.test");
        assertThat(b().get("/.well-known/matrix/support", null).status()).isEqualTo(404);
        assertThat(a().put("/.well-known/matrix/support", null, "{}").status()).isEqualTo(405);
    }

    @Test
    void capabilities() {
        assertThat(a().get("/_matrix/client/v3/capabilities", null).status()).isEqualTo(401);
        TestUser user = registerA("caps");
        MatrixTestClient.Response r = a().get("/_matrix/client/v3/capabilities", user.accessToken());
        assertThat(r.status()).isEqualTo(200);
        var caps = r.body().path("capabilities");
        assertThat(caps.path("m.room_versions").path("default").asText()).isEqualTo("10");
        assertThat(caps.path("m.room_versions").path("available").path("9").asText()).isEqualTo("stable");
        assertThat(caps.path("m.room_versions").path("available").path("11").asText()).isEqualTo("stable");
        assertThat(caps.path("m.change_password").path("enabled").asBoolean()).isTrue();
        assertThat(caps.path("m.3pid_changes").path("enabled").asBoolean()).isFalse();
        assertThat(a().get("/_matrix/client/v3/account/3pid", user.accessToken()).body().path("threepids").isArray()).isTrue();
        // no TURN server configured
        MatrixTestClient.Response turn = a().get("/_matrix/client/v3/voip/turnServer", user.accessToken());
        assertThat(turn.status()).isEqualTo(200);
        assertThat(turn.body().size()).isZero();
    }

    @Test
    void r0PathsAreServedAsTheirV3Endpoints() {
        assertThat(a().get("/_matrix/client/r0/login", null).body().path("flows").isArray()).isTrue();
        TestUser user = registerA("r0");
        MatrixTestClient.Response created = a().post("/_matrix/client/r0/createRoom", user.accessToken(), "{}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String roomId = created.text("room_id");
        MatrixTestClient.Response joined = a().get("/_matrix/client/v3/joined_rooms", user.accessToken());
        assertThat(joined.body().path("joined_rooms").toString()).contains(roomId);

        // the same checks as v3: tokens, JSON, unknown endpoints
        assertThat(a().get("/_matrix/client/r0/joined_rooms", null).errcode()).isEqualTo("M_MISSING_TOKEN");
        assertThat(a().get("/_matrix/client/r0/joined_rooms", "nope").errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(a().post("/_matrix/client/r0/createRoom", user.accessToken(), "{not json").errcode()).isEqualTo("M_NOT_JSON");
        MatrixTestClient.Response unknown = a().get("/_matrix/client/r0/no_such_endpoint", user.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_UNRECOGNIZED");
        MatrixTestClient.Response otherVersion = a().get("/_matrix/client/r1/joined_rooms", user.accessToken());
        assertThat(otherVersion.status()).isEqualTo(404);
        assertThat(otherVersion.errcode()).isEqualTo("M_UNRECOGNIZED");
    }
}
