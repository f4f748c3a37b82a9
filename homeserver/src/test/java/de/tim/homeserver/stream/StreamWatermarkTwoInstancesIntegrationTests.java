package de.tim.homeserver.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.room.SyncToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A writer on one instance that is slower than the gap grace time: the other instance's syncs are held back at
 * its position, then give it up and read on; when the writer finally writes, it finds its position given up,
 * re-stamps its change with a new one, and the other instance's next sync delivers it.
 */
class StreamWatermarkTwoInstancesIntegrationTests {

    private static final String SECRET = "watermark-it-secret";
    private static final String DOMAIN = "m.test";
    private static final String CS = "/_matrix/client/v3";
    private static HomeserverPair pair;

    @BeforeAll
    static void start() {
        pair = HomeserverPair.start("watermark", DOMAIN, SECRET, c -> true, List.of(PausingStreamPositions.Config.class),
                "--tim.homeserver.password.argon2-memory-kib=1024", "--tim.homeserver.password.argon2-iterations=1");
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode sync(MatrixTestClient via, String token, String since) {
        MatrixTestClient.Response r = via.get(CS + "/sync?timeout=0" + (since == null ? "" : "&since=" + enc(since)), token);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static boolean shows(JsonNode body, String type) {
        for (JsonNode e : body.path("account_data").path("events")) {
            if (type.equals(e.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aWriterSlowerThanTheGraceTimeIsDeliveredAtANewPosition() throws Exception {
        MatrixTestClient one = pair.client(pair.first());
        MatrixTestClient two = pair.client(pair.second());
        HomeserverPair.User user = pair.register("slow");
        String userId = user.id();
        String token = user.token();
        String since = sync(two, token, null).path("next_batch").asText();

        PausingStreamPositions.Pause pause = pair.first().getBean(PausingStreamPositions.class)
                .pauseNext(DOMAIN, StreamPositions.ACCOUNT_DATA);
        CompletableFuture<MatrixTestClient.Response> slow = CompletableFuture.supplyAsync(() -> one.put(
                CS + "/user/" + enc(userId) + "/account_data/org.example.slow", token, Map.of("v", 1)));
        String passed;
        long held;
        try {
            held = pause.awaitHeld(Duration.ofSeconds(30));
            // a later write through instance two completes while the slow one is held
            assertThat(two.put(CS + "/user/" + enc(userId) + "/account_data/org.example.fast", token, Map.of("v", 2)).status())
                    .isEqualTo(200);
            JsonNode heldBack = sync(two, token, since);
            assertThat(SyncToken.parse(heldBack.path("next_batch").asText()).accountData()).isLessThan(held);
            assertThat(shows(heldBack, "org.example.fast")).isFalse();
            // after the grace time instance two gives the position up and delivers the later write
            passed = await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode body = sync(two, token, since);
                return shows(body, "org.example.fast") ? body.path("next_batch").asText() : null;
            }, java.util.Objects::nonNull);
            assertThat(SyncToken.parse(passed).accountData()).isGreaterThan(held);
        } finally {
            pause.release();
        }
        assertThat(slow.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);

        // the slow write landed with its given-up position and was moved to a new one: the next sync delivers it
        JsonNode after = await().atMost(Duration.ofSeconds(30)).until(() -> sync(two, token, passed), b -> shows(b, "org.example.slow"));
        assertThat(SyncToken.parse(after.path("next_batch").asText()).accountData()).isGreaterThan(SyncToken.parse(passed).accountData());
    }
}
