package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class PushRulesIntegrationTests extends HomeserverIntegrationTest {

    private static final String BASE = "/_matrix/client/v3/pushrules";

    @Test
    void defaultRulesetFollowsTheSpec() {
        TestUser user = registerA("push");
        MatrixTestClient.Response r = a().get(BASE + "/", user.accessToken());
        assertThat(r.status()).isEqualTo(200);
        JsonNode global = r.body().path("global");
        assertThat(global.path("override").findValuesAsText("rule_id")).startsWith(".m.rule.master", ".m.rule.suppress_notices")
                .contains(".m.rule.is_user_mention", ".m.rule.suppress_edits");
        assertThat(global.path("override").get(0).path("enabled").asBoolean()).isFalse();
        assertThat(global.path("content").get(0).path("pattern").asText()).isEqualTo(user.localpart());
        assertThat(global.path("underride").findValuesAsText("rule_id")).containsExactly(".m.rule.call",
                ".m.rule.encrypted_room_one_to_one", ".m.rule.room_one_to_one", ".m.rule.message", ".m.rule.encrypted");
        assertThat(global.path("room").isArray()).isTrue();
        assertThat(global.path("sender").isArray()).isTrue();
        assertThat(r.raw()).contains(user.userId()).doesNotContain("[the user");
        assertThat(a().get(BASE + "/global/", user.accessToken()).body().path("override").size())
                .isEqualTo(global.path("override").size());
        assertThat(a().get(BASE + "/device/", user.accessToken()).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(a().get(BASE + "/", null).status()).isEqualTo(401);
    }

    @Test
    void userRulesOrderingEnabledAndActions() {
        TestUser user = registerA("pushrules");
        String t = user.accessToken();
        assertThat(a().put(BASE + "/global/override/first", t, Map.of("actions", List.of("notify"),
                "conditions", List.of(Map.of("kind", "event_match", "key", "type", "pattern", "m.room.message")))).status())
                .isEqualTo(200);
        assertThat(a().put(BASE + "/global/override/second", t, Map.of("actions", List.of())).status()).isEqualTo(200);
        assertThat(a().put(BASE + "/global/override/third?after=first", t, Map.of("actions", List.of("dont_notify"))).status())
                .isEqualTo(200);
        assertThat(a().put(BASE + "/global/override/x?before=nope", t, Map.of("actions", List.of())).status()).isEqualTo(404);
        List<String> order = a().get(BASE + "/", t).body().path("global").path("override").findValuesAsText("rule_id");
        assertThat(order.subList(0, 4)).containsExactly(".m.rule.master", "second", "first", "third");

        assertThat(a().get(BASE + "/global/override/first", t).body().path("default").asBoolean(true)).isFalse();
        assertThat(a().put(BASE + "/global/override/first/enabled", t, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(a().get(BASE + "/global/override/first/enabled", t).body().path("enabled").asBoolean(true)).isFalse();
        assertThat(a().put(BASE + "/global/override/.m.rule.master/enabled", t, Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(a().get(BASE + "/global/override/.m.rule.master", t).body().path("enabled").asBoolean()).isTrue();
        assertThat(a().put(BASE + "/global/underride/.m.rule.message/actions", t,
                Map.of("actions", List.of("notify", Map.of("set_tweak", "sound", "value", "ping")))).status()).isEqualTo(200);
        assertThat(a().get(BASE + "/global/underride/.m.rule.message/actions", t).body().path("actions").get(1)
                .path("value").asText()).isEqualTo("ping");

        assertThat(a().put(BASE + "/global/room/!r1:a.test", t, Map.of("actions", List.of())).status()).isEqualTo(200);
        assertThat(a().put(BASE + "/global/room/not-a-room", t, Map.of("actions", List.of())).status()).isEqualTo(400);
        assertThat(a().put(BASE + "/global/content/kw", t, Map.of("actions", List.of("notify"))).status()).isEqualTo(400);
        assertThat(a().put(BASE + "/global/content/kw", t, Map.of("actions", List.of("notify"), "pattern", "Praxis")).status())
                .isEqualTo(200);
        assertThat(a().put(BASE + "/global/override/.mine", t, Map.of("actions", List.of())).status()).isEqualTo(400);
        assertThat(a().put(BASE + "/global/override/bad", t, Map.of("actions", List.of("explode"))).status()).isEqualTo(400);
        assertThat(a().put(BASE + "/global/weird/x", t, Map.of("actions", List.of())).status()).isEqualTo(400);

        assertThat(a().delete(BASE + "/global/override/second", t, null).status()).isEqualTo(200);
        assertThat(a().get(BASE + "/global/override/second", t).status()).isEqualTo(404);
        assertThat(a().delete(BASE + "/global/override/second", t, null).status()).isEqualTo(404);
        assertThat(a().delete(BASE + "/global/override/.m.rule.master", t, null).status()).isEqualTo(400);

        // changes are account data m.push_rules (for sync), which clients cannot write directly
        MatrixTestClient.Response data = a().get("/_matrix/client/v3/user/" + user.userId() + "/account_data/m.push_rules", t);
        assertThat(data.body().path("global").path("content").findValuesAsText("rule_id")).contains("kw");
        // rules are per user
        TestUser other = registerA("pushrules-other");
        assertThat(a().get(BASE + "/global/override/first", other.accessToken()).status()).isEqualTo(404);
    }
}
