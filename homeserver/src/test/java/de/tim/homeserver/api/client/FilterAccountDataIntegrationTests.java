package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class FilterAccountDataIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void filtersAreValidatedStoredAndPrivate() {
        TestUser user = registerA("filter");
        TestUser other = registerA("filter-other");
        Map<String, Object> filter = Map.of("room", Map.of("timeline", Map.of("limit", 10, "types", List.of("m.room.message"))),
                "event_format", "client", "presence", Map.of("not_types", List.of("*")));
        MatrixTestClient.Response created = a().post("/_matrix/client/v3/user/" + user.userId() + "/filter",
                user.accessToken(), filter);
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String id = created.text("filter_id");
        MatrixTestClient.Response fetched = a().get("/_matrix/client/v3/user/" + user.userId() + "/filter/" + id, user.accessToken());
        assertThat(fetched.body().path("room").path("timeline").path("limit").asInt()).isEqualTo(10);
        assertThat(a().get("/_matrix/client/v3/user/" + user.userId() + "/filter/unknown", user.accessToken()).status())
                .isEqualTo(404);
        assertThat(a().get("/_matrix/client/v3/user/" + user.userId() + "/filter/" + id, other.accessToken()).status())
                .isEqualTo(403);
        assertThat(a().post("/_matrix/client/v3/user/" + user.userId() + "/filter", other.accessToken(), filter).status())
                .isEqualTo(403);
        for (Object bad : List.of(Map.of("event_format", "xml"), Map.of("room", Map.of("rooms", "!a:b")),
                Map.of("room", Map.of("timeline", Map.of("limit", "ten"))), Map.of("presence", List.of()),
                Map.of("event_fields", List.of(1)), "[]")) {
            MatrixTestClient.Response r = a().post("/_matrix/client/v3/user/" + user.userId() + "/filter", user.accessToken(), bad);
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            assertThat(r.errcode()).as(bad.toString()).isEqualTo("M_BAD_JSON");
        }
    }

    @Test
    void globalAndRoomAccountData() {
        TestUser user = registerA("ad");
        TestUser other = registerA("ad-other");
        String base = "/_matrix/client/v3/user/" + user.userId();
        assertThat(a().get(base + "/account_data/org.example.settings", user.accessToken()).status()).isEqualTo(404);
        assertThat(a().put(base + "/account_data/org.example.settings", user.accessToken(),
                Map.of("theme.dark", true, "nested", Map.of("a", 1))).status()).isEqualTo(200);
        MatrixTestClient.Response global = a().get(base + "/account_data/org.example.settings", user.accessToken());
        assertThat(global.body().path("theme.dark").asBoolean()).isTrue();
        assertThat(global.body().path("nested").path("a").asInt()).isEqualTo(1);
        assertThat(a().put(base + "/account_data/org.example.settings", user.accessToken(), Map.of("v", 2)).status()).isEqualTo(200);
        assertThat(a().get(base + "/account_data/org.example.settings", user.accessToken()).body().has("theme.dark")).isFalse();

        String room = "/rooms/!room1:a.test/account_data/org.example.room";
        assertThat(a().put(base + room, user.accessToken(), Map.of("pinned", true)).status()).isEqualTo(200);
        assertThat(a().get(base + room, user.accessToken()).body().path("pinned").asBoolean()).isTrue();
        assertThat(a().get(base + "/account_data/org.example.room", user.accessToken()).status()).isEqualTo(404);

        assertThat(a().get(base + "/account_data/org.example.settings", other.accessToken()).status()).isEqualTo(403);
        assertThat(a().put(base + "/account_data/x", other.accessToken(), Map.of()).status()).isEqualTo(403);
        MatrixTestClient.Response managed = a().put(base + "/account_data/m.push_rules", user.accessToken(), Map.of());
        assertThat(managed.status()).isEqualTo(405);
        assertThat(managed.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().put(base + "/rooms/!r:a.test/account_data/m.fully_read", user.accessToken(), Map.of()).status())
                .isEqualTo(405);
        assertThat(a().put(base + "/account_data/x", user.accessToken(), "[1]").errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().put(base + "/rooms/not-a-room/account_data/x", user.accessToken(), Map.of()).status()).isEqualTo(400);
    }

    @Test
    void tags() {
        TestUser user = registerA("tags");
        String base = "/_matrix/client/v3/user/" + user.userId() + "/rooms/!tagged:a.test/tags";
        assertThat(a().get(base, user.accessToken()).body().path("tags").size()).isZero();
        assertThat(a().put(base + "/m.favourite", user.accessToken(), Map.of("order", 0.25)).status()).isEqualTo(200);
        assertThat(a().put(base + "/u.work", user.accessToken(), Map.of()).status()).isEqualTo(200);
        MatrixTestClient.Response tags = a().get(base, user.accessToken());
        assertThat(tags.body().path("tags").path("m.favourite").path("order").asDouble()).isEqualTo(0.25);
        assertThat(tags.body().path("tags").has("u.work")).isTrue();
        assertThat(a().put(base + "/bad", user.accessToken(), Map.of("order", "first")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().delete(base + "/u.work", user.accessToken(), null).status()).isEqualTo(200);
        assertThat(a().get(base, user.accessToken()).body().path("tags").has("u.work")).isFalse();
        // tags are room account data m.tag
        assertThat(a().get("/_matrix/client/v3/user/" + user.userId() + "/rooms/!tagged:a.test/account_data/m.tag",
                user.accessToken()).body().path("tags").has("m.favourite")).isTrue();
        TestUser other = registerA("tags-other");
        assertThat(a().get(base, other.accessToken()).status()).isEqualTo(403);
    }
}
