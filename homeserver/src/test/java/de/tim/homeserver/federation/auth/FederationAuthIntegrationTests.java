package de.tim.homeserver.federation.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** X-Matrix authentication of {@code /_matrix/federation/**} as the receiving side. */
class FederationAuthIntegrationTests extends HomeserverIntegrationTest {

    private FakeRemoteServer remote;
    private TestUser alice;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("auth-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        alice = registerA("alice");
        alice.client().put("/_matrix/client/v3/profile/" + alice.userId() + "/displayname", alice.accessToken(),
                Map.of("displayname", "Alice"));
    }

    private String profilePath() {
        return "/_matrix/federation/v1/query/profile?user_id=" + alice.userId().replace("@", "%40").replace(":", "%3A");
    }

    private MatrixTestClient.Response get(String path, String authorization) {
        MatrixTestClient client = a();
        if (authorization != null) {
            client = client.withHeader("Authorization", authorization);
        }
        return client.get(path, null);
    }

    @Test
    void signedRequestIsServed() {
        MatrixTestClient.Response response = get(profilePath(), remote.authorization(A, "GET", profilePath(), null));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.text("displayname")).isEqualTo("Alice");
        assertThat(remote.keyFetches()).isEqualTo(1);
        // the key is cached
        assertThat(get(profilePath(), remote.authorization(A, "GET", profilePath(), null)).status()).isEqualTo(200);
        assertThat(remote.keyFetches()).isEqualTo(1);
    }

    @Test
    void unsignedOrMalformedRequestsAre401() {
        assertThat(get(profilePath(), null).errcode()).isEqualTo("M_UNAUTHORIZED");
        assertThat(get(profilePath(), null).status()).isEqualTo(401);
        assertThat(get(profilePath(), "Bearer abc").errcode()).isEqualTo("M_UNAUTHORIZED");
        assertThat(get(profilePath(), "X-Matrix origin=\"x.test\"").errcode()).isEqualTo("M_UNAUTHORIZED");
        assertThat(get(profilePath(), "X-Matrix origin=\"" + remote.serverName() + "\",key=\"ed25519:remote1\",sig=\"!!\"")
                .status()).isEqualTo(401);
    }

    @Test
    void wrongSignaturesAre401() {
        SigningKey other = SigningKey.generate("remote1");
        // same key id, different key
        assertThat(get(profilePath(), remote.authorization(A, "GET", profilePath(), null, other)).status()).isEqualTo(401);
        // unknown key id
        assertThat(get(profilePath(), remote.authorization(A, "GET", profilePath(), null, SigningKey.generate("nope")))
                .status()).isEqualTo(401);
        // signed for another path, method or body
        assertThat(get(profilePath(), remote.authorization(A, "GET", profilePath() + "&field=displayname", null)).status())
                .isEqualTo(401);
        assertThat(get(profilePath(), remote.authorization(A, "POST", profilePath(), null)).status()).isEqualTo(401);
        assertThat(get(profilePath(), remote.authorization(A, "GET", profilePath(), Map.of("a", 1))).status()).isEqualTo(401);
    }

    @Test
    void destinationMustBeTheHostsDomain() {
        // signed for b.test, sent to a.test
        assertThat(get(profilePath(), remote.authorization(B, "GET", profilePath(), null)).status()).isEqualTo(401);
    }

    @Test
    void bodyIsPartOfTheSignature() {
        String path = "/_matrix/federation/v1/query/profile?user_id=x";
        Map<String, Object> body = Map.of("k", "v");
        MatrixTestClient.Response tampered = a().withHeader("Authorization", remote.authorization(A, "PUT", path, body))
                .put(path, null, Map.of("k", "w"));
        assertThat(tampered.status()).isEqualTo(401);
        MatrixTestClient.Response notJson = a().withHeader("Authorization", remote.authorization(A, "PUT", path, body))
                .put(path, null, "{not json");
        assertThat(notJson.errcode()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void versionAndOpenIdNeedNoSignature() {
        MatrixTestClient.Response version = a().get("/_matrix/federation/v1/version", null);
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body().path("server").path("name").asText()).isNotEmpty();
        assertThat(a().get("/_matrix/federation/v1/openid/userinfo?access_token=x", null).errcode())
                .isEqualTo("M_UNKNOWN_TOKEN");
    }

    @Test
    void profileQueryValidatesItsParameters() {
        String unknown = "/_matrix/federation/v1/query/profile?user_id=%40nobody%3Aa.test";
        assertThat(get(unknown, remote.authorization(A, "GET", unknown, null)).status()).isEqualTo(404);
        String badField = profilePath() + "&field=email";
        assertThat(get(badField, remote.authorization(A, "GET", badField, null)).errcode()).isEqualTo("M_INVALID_PARAM");
        String field = profilePath() + "&field=displayname";
        assertThat(get(field, remote.authorization(A, "GET", field, null)).text("displayname")).isEqualTo("Alice");
    }
}
