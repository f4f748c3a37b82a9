package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A long-polling {@code /sync} parked on one instance of a {@link HomeserverPair}: the set-up of the tests that check
 * which writes wake a sync (with a 10 minute re-check interval, only a wake-up answers it within the tests' bounds).
 */
final class ParkedSync {

    private static final String CS = "/_matrix/client/v3";

    private ParkedSync() {
    }

    /**
     * Catches {@code user} up on {@code instance} (what was written through the other instance reaches this one over
     * Kafka a moment later: incremental syncs until one is {@code quiet}, i.e. has nothing the test waits for), then
     * starts a sync with a 5 minute timeout and returns once the instance's {@link RoomNotifier} counts it as waiting.
     * The future answers with the sync's body (after asserting 200).
     */
    static CompletableFuture<JsonNode> park(HomeserverPair pair, ConfigurableApplicationContext instance,
            HomeserverPair.User user, Predicate<JsonNode> quiet) {
        MatrixTestClient via = pair.client(instance);
        MatrixTestClient.Response initial = via.get(CS + "/sync?timeout=0", user.token());
        ok(initial);
        AtomicReference<String> token = new AtomicReference<>(initial.text("next_batch"));
        String since = await().atMost(Duration.ofSeconds(30)).until(() -> {
            MatrixTestClient.Response caughtUp = via.get(CS + "/sync?timeout=0&since=" + enc(token.get()), user.token());
            ok(caughtUp);
            if (quiet.test(caughtUp.body())) {
                return token.get();
            }
            token.set(caughtUp.text("next_batch"));
            return null;
        }, Objects::nonNull);
        RoomNotifier notifier = instance.getBean(RoomNotifier.class);
        int before = notifier.waiting(pair.serverName());
        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
            MatrixTestClient.Response r = via.get(CS + "/sync?timeout=300000&since=" + enc(since), user.token());
            ok(r);
            return r.body();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> notifier.waiting(pair.serverName()) > before);
        return waiting;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }
}
