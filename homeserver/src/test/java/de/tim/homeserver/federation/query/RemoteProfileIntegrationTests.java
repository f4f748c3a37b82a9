package de.tim.homeserver.federation.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /profile/{userId}} of a user of another server goes over {@code query/profile}. */
class RemoteProfileIntegrationTests extends RoomTestSupport {

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        assertThat(b().put(CS + "/profile/" + bob.userId() + "/displayname", bob.accessToken(),
                Map.of("displayname", "Dr. Bob B")).status()).isEqualTo(200);
        assertThat(b().put(CS + "/profile/" + bob.userId() + "/avatar_url", bob.accessToken(),
                Map.of("avatar_url", "mxc://b.test/avatar")).status()).isEqualTo(200);
    }

    @Test
    void profileOfARemoteUser() {
        MatrixTestClient.Response profile = a().get(CS + "/profile/" + bob.userId(), alice.accessToken());
        assertThat(profile.status()).as(profile.raw()).isEqualTo(200);
        assertThat(profile.body().toString()).isEqualTo("{\"displayname\":\"Dr. Bob B\",\"avatar_url\":\"mxc://b.test/avatar\"}");
        assertThat(a().get(CS + "/profile/" + bob.userId() + "/displayname", alice.accessToken()).body().toString())
                .isEqualTo("{\"displayname\":\"Dr. Bob B\"}");
        assertThat(a().get(CS + "/profile/" + bob.userId() + "/avatar_url", alice.accessToken()).body().toString())
                .isEqualTo("{\"avatar_url\":\"mxc://b.test/avatar\"}");

        MatrixTestClient.Response unknown = a().get(CS + "/profile/@nobody:" + B, alice.accessToken());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errcode()).isEqualTo("M_NOT_FOUND");
        // no anonymous relay to other servers, no answer is 502
        assertThat(a().get(CS + "/profile/" + bob.userId(), null).status()).isEqualTo(401);
        assertThat(a().get(CS + "/profile/@x:unreachable.test", alice.accessToken()).status()).isEqualTo(502);
    }
}
