package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

/**
 * Endpoints of spec areas this server serves with TI-Messenger's answers: whois (own sessions, admins), third-party
 * networks (no bridges), third-party identifier tokens (none accepted), registration token validity (closed registration).
 */
class AdministrationAndThirdPartyIntegrationTests extends HomeserverIntegrationTest {

    private static final String CS = "/_matrix/client/v3";

    private static void conforms(String file, String path, String method, MatrixTestClient.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(SpecSchemas.validate(file, path, method, response.body())).as(response.raw()).isEmpty();
    }

    @Test
    void whoisShowsSessionsToTheUserAndToAdminsOnly() {
        TestUser user = registerA("whois");
        TestUser other = registerA("whois-other");
        TestUser admin = adminA();
        String path = CS + "/admin/whois/" + user.userId();
        a().get(CS + "/account/whoami", user.accessToken()); // a request that records the device as seen

        MatrixTestClient.Response own = a().get(path, user.accessToken());
        conforms("admin.yaml", "/admin/whois/{userId}", "get", own);
        assertThat(own.text("user_id")).isEqualTo(user.userId());
        JsonNode connections = own.body().path("devices").path(user.deviceId()).path("sessions").path(0).path("connections");
        assertThat(connections.path(0).path("last_seen").isNumber()).as(own.raw()).isTrue();
        conforms("admin.yaml", "/admin/whois/{userId}", "get", a().get(path, admin.accessToken()));

        MatrixTestClient.Response stranger = a().get(path, other.accessToken());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(stranger.raw()).doesNotContain(user.deviceId());
        // whether a user exists is not told to non-admins either
        assertThat(a().get(CS + "/admin/whois/@nobody:a.test", other.accessToken()).status()).isEqualTo(403);
        assertThat(a().get(CS + "/admin/whois/@nobody:a.test", admin.accessToken()).status()).isEqualTo(404);
        assertThat(a().get(CS + "/admin/whois/" + user.userId(), null).status()).isEqualTo(401);
        assertThat(a().get(CS + "/admin/whois/not-a-user", admin.accessToken()).status()).isEqualTo(400);
    }

    @Test
    void noThirdPartyProtocols() {
        TestUser user = registerA("thirdparty");
        conforms("third_party_lookup.yaml", "/thirdparty/protocols", "get", a().get(CS + "/thirdparty/protocols", user.accessToken()));
        assertThat(a().get(CS + "/thirdparty/protocols", user.accessToken()).body().size()).isZero();
        for (String lookup : new String[] {"/thirdparty/protocol/irc", "/thirdparty/location/irc?x=1", "/thirdparty/user/irc?x=1"}) {
            MatrixTestClient.Response r = a().get(CS + lookup, user.accessToken());
            assertThat(r.status()).as(lookup).isEqualTo(404);
            assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
        }
        MatrixTestClient.Response byAlias = a().get(CS + "/thirdparty/location?alias=%23room%3Airc.example", user.accessToken());
        conforms("third_party_lookup.yaml", "/thirdparty/location", "get", byAlias);
        assertThat(byAlias.body().size()).isZero();
        assertThat(a().get(CS + "/thirdparty/user?userid=%40x%3Airc.example", user.accessToken()).body().size()).isZero();
        assertThat(a().get(CS + "/thirdparty/protocols", null).status()).isEqualTo(401);
    }

    @Test
    void noEmailOrPhoneTokensAreSent() {
        TestUser user = registerA("threepid");
        Map<String, Object> body = Map.of("client_secret", "s3cr3t", "email", "arzt@praxis.example", "send_attempt", 1);
        for (String path : new String[] {"/register/email/requestToken", "/register/msisdn/requestToken",
                "/account/password/email/requestToken", "/account/password/msisdn/requestToken",
                "/account/3pid/email/requestToken", "/account/3pid/msisdn/requestToken"}) {
            MatrixTestClient.Response r = a().post(CS + path, path.startsWith("/account/3pid") ? user.accessToken() : null, body);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.errcode()).as(path).isEqualTo("M_THREEPID_DENIED");
        }
    }

    @Test
    void registrationTokensAreNeverValidWhileRegistrationIsClosed() {
        MatrixTestClient.Response closed = a().get("/_matrix/client/v1/register/m.login.registration_token/validity?token=abc", null);
        assertThat(closed.status()).as(closed.raw()).isEqualTo(403);
        assertThat(closed.errcode()).isEqualTo("M_FORBIDDEN");
        MatrixTestClient.Response missing = a().get("/_matrix/client/v1/register/m.login.registration_token/validity", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_PARAM");
    }
}
