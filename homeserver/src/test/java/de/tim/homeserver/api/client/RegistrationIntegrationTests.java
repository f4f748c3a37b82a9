package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.registration.RegistrationService;
import org.junit.jupiter.api.Test;

class RegistrationIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void openRegistrationIsDisabled() {
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/register", null,
                Map.of("username", "x", "password", PASSWORD, "auth", Map.of("type", "m.login.dummy")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        MatrixTestClient.Response guest = a().post("/_matrix/client/v3/register?kind=guest", null, Map.of());
        assertThat(guest.status()).isEqualTo(403);
        assertThat(guest.errcode()).isEqualTo("M_GUEST_ACCESS_FORBIDDEN");
    }

    @Test
    void usernameAvailability() {
        TestUser user = registerA("avail");
        MatrixTestClient.Response free = a().get("/_matrix/client/v3/register/available?username=free-" + System.nanoTime(), null);
        assertThat(free.status()).isEqualTo(200);
        assertThat(free.body().path("available").asBoolean()).isTrue();
        MatrixTestClient.Response taken = a().get("/_matrix/client/v3/register/available?username=" + user.localpart(), null);
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.errcode()).isEqualTo("M_USER_IN_USE");
        // the same name is free on the other domain
        assertThat(b().get("/_matrix/client/v3/register/available?username=" + user.localpart(), null).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/register/available?username=b%C3%A4d", null).errcode()).isEqualTo("M_INVALID_USERNAME");
        assertThat(a().get("/_matrix/client/v3/register/available", null).errcode()).isEqualTo("M_MISSING_PARAM");
    }

    @Test
    void sharedSecretRegistrationFollowsSynapse() {
        MatrixTestClient.Response nonce = a().get("/_synapse/admin/v1/register", null);
        assertThat(nonce.text("nonce")).isNotBlank();
        String n = nonce.text("nonce");
        String localpart = uniqueLocalpart("ssr");
        String mac = RegistrationService.mac("test-shared-secret", n, localpart, PASSWORD, true, "bot");
        MatrixTestClient.Response wrongMac = a().post("/_synapse/admin/v1/register", null, Map.of("nonce", n,
                "username", localpart, "password", PASSWORD, "admin", false, "user_type", "bot", "mac", mac));
        assertThat(wrongMac.status()).isEqualTo(403);
        // the nonce is gone after one use, even a failed one
        MatrixTestClient.Response reused = a().post("/_synapse/admin/v1/register", null, Map.of("nonce", n,
                "username", localpart, "password", PASSWORD, "admin", true, "user_type", "bot", "mac", mac));
        assertThat(reused.status()).isEqualTo(400);

        String n2 = a().get("/_synapse/admin/v1/register", null).text("nonce");
        MatrixTestClient.Response ok = a().post("/_synapse/admin/v1/register", null, Map.of("nonce", n2,
                "username", localpart, "displayname", "Dr. Test", "password", PASSWORD, "admin", true, "user_type", "bot",
                "mac", RegistrationService.mac("test-shared-secret", n2, localpart, PASSWORD, true, "bot")));
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.text("user_id")).isEqualTo("@" + localpart + ":a.test");
        assertThat(ok.text("home_server")).isEqualTo(A);
        assertThat(ok.text("access_token")).isNotBlank();
        assertThat(ok.text("device_id")).isNotBlank();
        MatrixTestClient.Response user = a().get("/_synapse/admin/v2/users/" + ok.text("user_id"), ok.text("access_token"));
        assertThat(user.body().path("admin").asBoolean()).isTrue();
        assertThat(user.text("user_type")).isEqualTo("bot");
        assertThat(user.text("displayname")).isEqualTo("Dr. Test");

        String n3 = a().get("/_synapse/admin/v1/register", null).text("nonce");
        MatrixTestClient.Response taken = a().post("/_synapse/admin/v1/register", null, Map.of("nonce", n3,
                "username", localpart, "password", PASSWORD, "admin", false,
                "mac", RegistrationService.mac("test-shared-secret", n3, localpart, PASSWORD, false, null)));
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.errcode()).isEqualTo("M_USER_IN_USE");
    }

    @Test
    void macMatchesSynapseReference() {
        // hmac.new(b"secret", b"abc\x00bob\x00pw\x00notadmin", hashlib.sha1).hexdigest()
        assertThat(RegistrationService.mac("secret", "abc", "bob", "pw", false, null))
                .isEqualTo(referenceHmacSha1("secret", "abc\0bob\0pw\0notadmin"));
        assertThat(RegistrationService.mac("secret", "abc", "bob", "pw", true, "bot"))
                .isEqualTo(referenceHmacSha1("secret", "abc\0bob\0pw\0admin\0bot"));
    }

    private static String referenceHmacSha1(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(), "HmacSHA1"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
