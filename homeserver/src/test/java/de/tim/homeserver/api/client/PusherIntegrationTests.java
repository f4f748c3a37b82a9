package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class PusherIntegrationTests extends HomeserverIntegrationTest {

    private static Map<String, Object> pusher(String pushkey, Object kind, boolean append) {
        Map<String, Object> body = new HashMap<>();
        body.put("pushkey", pushkey);
        body.put("kind", kind);
        body.put("app_id", "de.tim.messenger.android");
        body.put("app_display_name", "TI-Messenger");
        body.put("device_display_name", "Pixel");
        body.put("lang", "de");
        body.put("data", Map.of("url", "https://push.a.test/_matrix/push/v1/notify", "format", "event_id_only"));
        body.put("append", append);
        return body;
    }

    @Test
    void setListReplaceAndDelete() {
        TestUser user = registerA("pusher");
        String key = "key-" + System.nanoTime();
        assertThat(a().get("/_matrix/client/v3/pushers", user.accessToken()).body().path("pushers").size()).isZero();
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), pusher(key, "http", false)).status())
                .isEqualTo(200);
        MatrixTestClient.Response list = a().get("/_matrix/client/v3/pushers", user.accessToken());
        assertThat(list.body().path("pushers").size()).isEqualTo(1);
        assertThat(list.body().path("pushers").get(0).path("data").path("format").asText()).isEqualTo("event_id_only");
        assertThat(list.body().path("pushers").get(0).path("kind").asText()).isEqualTo("http");

        // append=false takes the pushkey away from other users of the same app
        TestUser other = registerA("pusher-other");
        assertThat(a().post("/_matrix/client/v3/pushers/set", other.accessToken(), pusher(key, "http", false)).status())
                .isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/pushers", user.accessToken()).body().path("pushers").size()).isZero();
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), pusher(key, "http", true)).status())
                .isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/pushers", other.accessToken()).body().path("pushers").size()).isEqualTo(1);

        Map<String, Object> delete = pusher(key, null, false);
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), delete).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/pushers", user.accessToken()).body().path("pushers").size()).isZero();
    }

    @Test
    void validationAndDeviceRemoval() {
        TestUser user = registerA("pusher-val");
        Map<String, Object> badUrl = pusher("k1", "http", false);
        badUrl.put("data", Map.of("url", "https://push.a.test/other"));
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), badUrl).errcode()).isEqualTo("M_INVALID_PARAM");
        Map<String, Object> missing = pusher("k1", "http", false);
        missing.remove("lang");
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), missing).errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), pusher("k1", "carrier-pigeon", false))
                .errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(a().post("/_matrix/client/v3/pushers/set", user.accessToken(), Map.of("kind", "http")).errcode())
                .isEqualTo("M_MISSING_PARAM");

        String second = login(a(), user.localpart(), PASSWORD).text("access_token");
        assertThat(a().post("/_matrix/client/v3/pushers/set", second, pusher("k2", "http", false)).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/pushers", user.accessToken()).body().path("pushers").size()).isEqualTo(1);
        assertThat(a().post("/_matrix/client/v3/logout", second, null).status()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/pushers", user.accessToken()).body().path("pushers").size()).isZero();
    }
}
