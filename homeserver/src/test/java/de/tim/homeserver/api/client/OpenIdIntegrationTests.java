package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class OpenIdIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void openIdTokensIdentifyTheUserWithinTheDomain() {
        TestUser user = registerA("openid");
        TestUser other = registerA("openid-other");
        MatrixTestClient.Response token = a().post("/_matrix/client/v3/user/" + user.userId() + "/openid/request_token",
                user.accessToken(), Map.of());
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.text("token_type")).isEqualTo("Bearer");
        assertThat(token.text("matrix_server_name")).isEqualTo(A);
        assertThat(token.body().path("expires_in").asLong()).isEqualTo(3600);
        assertThat(a().post("/_matrix/client/v3/user/" + user.userId() + "/openid/request_token", other.accessToken(), Map.of())
                .status()).isEqualTo(403);

        MatrixTestClient.Response userinfo = a().get("/_matrix/federation/v1/openid/userinfo?access_token="
                + token.text("access_token"), null);
        assertThat(userinfo.status()).isEqualTo(200);
        assertThat(userinfo.text("sub")).isEqualTo(user.userId());
        // neither an access token nor another domain's view accepts it
        assertThat(a().get("/_matrix/federation/v1/openid/userinfo?access_token=" + user.accessToken(), null).errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(b().get("/_matrix/federation/v1/openid/userinfo?access_token=" + token.text("access_token"), null).status())
                .isEqualTo(401);
        assertThat(a().get("/_matrix/federation/v1/openid/userinfo", null).status()).isEqualTo(401);
        assertThat(a().get("/_matrix/client/v3/account/whoami", token.text("access_token")).status()).isEqualTo(401);
    }
}
