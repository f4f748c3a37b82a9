package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class ProfileAndDirectoryIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void profileRequiresAuthAndShowsDisplaynameAndAvatar() {
        TestUser user = registerA("prof");
        TestUser viewer = registerA("viewer");
        MatrixTestClient.Response anonymous = a().get("/_matrix/client/v3/profile/" + user.userId(), null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errcode()).isEqualTo("M_MISSING_TOKEN");

        assertThat(a().get("/_matrix/client/v3/profile/" + user.userId(), viewer.accessToken()).text("displayname"))
                .isEqualTo(user.localpart());
        assertThat(a().put("/_matrix/client/v3/profile/" + user.userId() + "/displayname", user.accessToken(),
                Map.of("displayname", "Dr. Erika Mustermann")).status()).isEqualTo(200);
        assertThat(a().put("/_matrix/client/v3/profile/" + user.userId() + "/avatar_url", user.accessToken(),
                Map.of("avatar_url", "mxc://a.test/abc")).status()).isEqualTo(200);
        MatrixTestClient.Response profile = a().get("/_matrix/client/v3/profile/" + user.userId(), viewer.accessToken());
        assertThat(profile.text("displayname")).isEqualTo("Dr. Erika Mustermann");
        assertThat(profile.text("avatar_url")).isEqualTo("mxc://a.test/abc");
        assertThat(a().get("/_matrix/client/v3/profile/" + user.userId() + "/displayname", viewer.accessToken())
                .text("displayname")).isEqualTo("Dr. Erika Mustermann");
        assertThat(a().get("/_matrix/client/v3/profile/" + user.userId() + "/avatar_url", viewer.accessToken())
                .text("avatar_url")).isEqualTo("mxc://a.test/abc");

        MatrixTestClient.Response foreign = a().put("/_matrix/client/v3/profile/" + user.userId() + "/displayname",
                viewer.accessToken(), Map.of("displayname", "Hacked"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(a().put("/_matrix/client/v3/profile/" + user.userId() + "/displayname", user.accessToken(),
                Map.of("displayname", 42)).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().put("/_matrix/client/v3/profile/" + user.userId() + "/avatar_url", user.accessToken(),
                Map.of("avatar_url", "https://evil")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().get("/_matrix/client/v3/profile/@nobody:a.test", viewer.accessToken()).status()).isEqualTo(404);
        assertThat(a().get("/_matrix/client/v3/profile/not-a-user-id", viewer.accessToken()).status()).isEqualTo(400);
        // the same localpart on b is a different user, unknown there (asked over federation)
        EGRESS.forwardTo(port, A, B);
        assertThat(a().get("/_matrix/client/v3/profile/@" + user.localpart() + ":b.test", viewer.accessToken()).status())
                .isEqualTo(404);
    }

    @Test
    void directorySearchIsPartialAndCaseInsensitive() {
        String marker = "Dir" + System.nanoTime() % 100000;
        TestUser searcher = registerA("searcher");
        TestUser alice = register(a(), marker.toLowerCase() + "-alice", false);
        TestUser bob = register(a(), uniqueLocalpart("bob"), false);
        a().put("/_matrix/client/v3/profile/" + bob.userId() + "/displayname", bob.accessToken(),
                Map.of("displayname", "Praxis " + marker + " Bob"));

        MatrixTestClient.Response r = a().post("/_matrix/client/v3/user_directory/search", searcher.accessToken(),
                Map.of("search_term", marker.toUpperCase().substring(1)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("results").findValuesAsText("user_id")).containsExactlyInAnyOrder(alice.userId(), bob.userId());
        assertThat(r.body().path("limited").asBoolean()).isFalse();
        MatrixTestClient.Response limited = a().post("/_matrix/client/v3/user_directory/search", searcher.accessToken(),
                Map.of("search_term", marker, "limit", 1));
        assertThat(limited.body().path("results").size()).isEqualTo(1);
        assertThat(limited.body().path("limited").asBoolean()).isTrue();
        MatrixTestClient.Response regexLike = a().post("/_matrix/client/v3/user_directory/search", searcher.accessToken(),
                Map.of("search_term", ".*"));
        assertThat(regexLike.body().path("results").size()).isZero();
        assertThat(a().post("/_matrix/client/v3/user_directory/search", searcher.accessToken(), Map.of()).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(a().post("/_matrix/client/v3/user_directory/search", null, Map.of("search_term", "x")).status())
                .isEqualTo(401);
    }
}
