package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.keys.E2eeTestSupport;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /_matrix/federation/v1/user/devices}, {@code user/keys/query}, {@code user/keys/claim} for our users. */
class FederationUserEndpointsIntegrationTests extends E2eeTestSupport {

    private static final String FED = "/_matrix/federation/v1";

    private FakeRemoteServer remote;
    private TestUser alice;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("keys-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        alice = registerA("alice");
        uploadOk(alice, Map.of("device_keys", deviceKeys(alice, deviceKey(alice)), "one_time_keys", oneTimeKeys("f", 1),
                "fallback_keys", fallbackKeys("fb", "fallback-key")));
        assertThat(alice.client().put(CS + "/devices/" + alice.deviceId(), alice.accessToken(),
                Map.of("display_name", "Praxis-PC Raum 3")).status()).isEqualTo(200);
    }

    private MatrixTestClient.Response fed(String method, String uri, Object body) {
        return remote.request(a(), A, method, uri, body);
    }

    private void uploadCrossSigning(TestUser user, SigningKey master, SigningKey selfSigning, SigningKey userSigning) {
        ObjectNode body = JSON.createObjectNode();
        body.set("master_key", crossSigningKey(user.userId(), "master", master));
        body.set("self_signing_key", signWithPublicKeyId(crossSigningKey(user.userId(), "self_signing", selfSigning),
                user.userId(), master));
        body.set("user_signing_key", signWithPublicKeyId(crossSigningKey(user.userId(), "user_signing", userSigning),
                user.userId(), master));
        MatrixTestClient.Response r = user.client().post(CS + "/keys/device_signing/upload", user.accessToken(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void devicesListsKeysWithoutDisplayNamesAndWithoutUserSigningKey() {
        SigningKey master = SigningKey.generate("m");
        uploadCrossSigning(alice, master, SigningKey.generate("s"), SigningKey.generate("u"));

        MatrixTestClient.Response r = fed("GET", FED + "/user/devices/" + enc(alice.userId()), null);

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.path("user_id").asText()).isEqualTo(alice.userId());
        assertThat(body.path("stream_id").isIntegralNumber()).isTrue();
        assertThat(body.path("devices")).hasSize(1);
        JsonNode device = body.path("devices").get(0);
        assertThat(device.path("device_id").asText()).isEqualTo(alice.deviceId());
        assertThat(device.path("keys").path("keys").has("ed25519:" + alice.deviceId())).isTrue();
        // device names are personal data: not shown to other servers by default
        assertThat(r.raw()).doesNotContain("Praxis-PC");
        assertThat(body.path("master_key").path("keys").has("ed25519:" + master.verifyKey().publicKeyBase64())).isTrue();
        assertThat(body.has("self_signing_key")).isTrue();
        assertThat(r.raw()).doesNotContain("user_signing");
    }

    @Test
    void devicesOfOtherServersOrUnknownUsersAreRefused() {
        MatrixTestClient.Response foreign = fed("GET", FED + "/user/devices/" + enc("@bob:" + remote.serverName()), null);
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.text("errcode")).isEqualTo("M_INVALID_PARAM");
        MatrixTestClient.Response unknown = fed("GET", FED + "/user/devices/" + enc("@nobody-here:" + A), null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("errcode")).isEqualTo("M_NOT_FOUND");
        MatrixTestClient.Response malformed = fed("GET", FED + "/user/devices/" + enc("not-a-user"), null);
        assertThat(malformed.status()).isEqualTo(400);
    }

    @Test
    void queryAnswersOnlyOurUsers() {
        ObjectNode wanted = JSON.createObjectNode();
        wanted.putArray(alice.userId());
        wanted.putArray("@someone:" + remote.serverName());
        wanted.putArray("@nobody-here:" + A);

        MatrixTestClient.Response r = fed("POST", FED + "/user/keys/query", Map.of("device_keys", wanted));

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("device_keys").path(alice.userId()).has(alice.deviceId())).isTrue();
        assertThat(r.body().path("device_keys").has("@someone:" + remote.serverName())).isFalse();
        assertThat(r.body().path("device_keys").has("@nobody-here:" + A)).isFalse();
        assertThat(r.raw()).doesNotContain("Praxis-PC");

        assertThat(fed("POST", FED + "/user/keys/query", Map.of("device_keys", "nope")).status()).isEqualTo(400);
        assertThat(fed("POST", FED + "/user/keys/query", Map.of("device_keys", Map.of(alice.userId(), "x"))).status())
                .isEqualTo(400);
    }

    @Test
    void claimHandsOutTheOneTimeKeyOnceThenTheFallback() {
        Map<String, Object> body = Map.of("one_time_keys", Map.of(alice.userId(), Map.of(alice.deviceId(), "signed_curve25519"),
                "@someone:" + remote.serverName(), Map.of("DEV", "signed_curve25519")));

        MatrixTestClient.Response first = fed("POST", FED + "/user/keys/claim", body);
        MatrixTestClient.Response second = fed("POST", FED + "/user/keys/claim", body);

        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.body().path("one_time_keys").path(alice.userId()).path(alice.deviceId()).toString()).contains("otk-f0");
        assertThat(first.body().path("one_time_keys").has("@someone:" + remote.serverName())).isFalse();
        assertThat(second.body().path("one_time_keys").path(alice.userId()).path(alice.deviceId()).toString())
                .contains("fallback-key").doesNotContain("otk-f0");
        assertThat(fed("POST", FED + "/user/keys/claim", Map.of("one_time_keys", Map.of(alice.userId(), Map.of("D", 5))))
                .status()).isEqualTo(400);
    }

    @Test
    void unauthenticatedRequestsAreRefused() {
        assertThat(a().get(FED + "/user/devices/" + enc(alice.userId()), null).status()).isEqualTo(401);
        assertThat(a().post(FED + "/user/keys/query", null, Map.of("device_keys", Map.of(alice.userId(), new String[0])))
                .status()).isEqualTo(401);
        assertThat(a().post(FED + "/user/keys/claim", null, Map.of("one_time_keys", Map.of())).status()).isEqualTo(401);
    }
}
