package de.tim.homeserver.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.room.SyncToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The lost update of overwritten-per-key streams, reproduced deterministically: a writer is held between the
 * allocation of its position and its write ({@link PausingStreamPositions}) while a {@code /sync} answers. That sync
 * must not hand out a {@code next_batch} at or beyond the held position, and the sync after the write completes
 * must carry the change. One test per stream: global and room account data (tags, read markers), receipts, typing,
 * presence, device lists.
 */
@Import(PausingStreamPositions.Config.class)
@TestPropertySource(properties = HomeserverIntegrationTest.NO_PUSH_EVALUATION)
class StreamRaceIntegrationTests extends HomeserverIntegrationTest {

    private static final String CS = "/_matrix/client/v3";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    PausingStreamPositions positions;

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode sync(TestUser user, String since) {
        MatrixTestClient.Response r = user.client().get(CS + "/sync?timeout=0" + (since == null ? "" : "&since=" + enc(since)),
                user.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    /** A since token after everything so far (the user's own set-up included). */
    private static String caughtUp(TestUser user) {
        String since = sync(user, null).path("next_batch").asText();
        for (int i = 0; i < 10; i++) {
            JsonNode next = sync(user, since);
            if (since.equals(next.path("next_batch").asText())) {
                return since;
            }
            since = next.path("next_batch").asText();
        }
        return since;
    }

    private String room(TestUser user) {
        MatrixTestClient.Response r = user.client().post(CS + "/createRoom", user.accessToken(), Map.of());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("room_id");
    }

    /**
     * Holds the writer of {@code stream} while a sync answers, then releases it; asserts the held sync neither shows
     * the change nor passes its position, and the next sync shows it.
     */
    private void raceIsDelivered(TestUser reader, String stream, ToLongFunction<SyncToken> component,
            Function<Void, MatrixTestClient.Response> write, Predicate<JsonNode> shows) throws Exception {
        String since = caughtUp(reader);
        PausingStreamPositions.Pause pause = positions.pauseNext(A, stream);
        CompletableFuture<MatrixTestClient.Response> writing = CompletableFuture.supplyAsync(() -> write.apply(null));
        long held;
        JsonNode during;
        try {
            held = pause.awaitHeld(DEADLINE);
            during = sync(reader, since);
        } finally {
            pause.release();
        }
        MatrixTestClient.Response written = writing.get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(written.status()).as(written.raw()).isEqualTo(200);

        String duringToken = during.path("next_batch").asText();
        assertThat(shows.test(during)).as("the sync during the write shows it").isFalse();
        assertThat(component.applyAsLong(SyncToken.parse(duringToken))).as(stream + " position of " + duringToken)
                .isLessThan(held);
        JsonNode after = sync(reader, duringToken);
        assertThat(shows.test(after)).as("the next sync shows the change: " + after).isTrue();
        assertThat(component.applyAsLong(SyncToken.parse(after.path("next_batch").asText()))).isGreaterThanOrEqualTo(held);
    }

    private static boolean hasType(JsonNode events, String type) {
        for (JsonNode e : events) {
            if (type.equals(e.path("type").asText())) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    @Test
    void globalAccountData() throws Exception {
        TestUser alice = registerA("race-ad");
        raceIsDelivered(alice, StreamPositions.ACCOUNT_DATA, SyncToken::accountData,
                v -> alice.client().put(CS + "/user/" + enc(alice.userId()) + "/account_data/org.example.race",
                        alice.accessToken(), Map.of("v", 1)),
                body -> hasType(body.path("account_data").path("events"), "org.example.race"));
    }

    @Test
    void roomTagsAndReadMarkers() throws Exception {
        TestUser alice = registerA("race-tag");
        String roomId = room(alice);
        raceIsDelivered(alice, StreamPositions.ACCOUNT_DATA, SyncToken::accountData,
                v -> alice.client().put(CS + "/user/" + enc(alice.userId()) + "/rooms/" + enc(roomId) + "/tags/u.work",
                        alice.accessToken(), Map.of("order", 0.5)),
                body -> hasType(body.path("rooms").path("join").path(roomId).path("account_data").path("events"), "m.tag"));
        String eventId = alice.client().put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/race1", alice.accessToken(),
                Map.of("msgtype", "m.text", "body", "hello")).text("event_id");
        raceIsDelivered(alice, StreamPositions.ACCOUNT_DATA, SyncToken::accountData,
                v -> alice.client().post(CS + "/rooms/" + enc(roomId) + "/read_markers", alice.accessToken(),
                        Map.of("m.fully_read", eventId)),
                body -> hasType(body.path("rooms").path("join").path(roomId).path("account_data").path("events"), "m.fully_read"));
    }

    @Test
    void receipts() throws Exception {
        TestUser alice = registerA("race-rr");
        String roomId = room(alice);
        String eventId = alice.client().put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/race2", alice.accessToken(),
                Map.of("msgtype", "m.text", "body", "hello")).text("event_id");
        raceIsDelivered(alice, StreamPositions.RECEIPTS, SyncToken::receipts,
                v -> alice.client().post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId), alice.accessToken(),
                        Map.of()),
                body -> hasType(body.path("rooms").path("join").path(roomId).path("ephemeral").path("events"), "m.receipt"));
    }

    @Test
    void typing() throws Exception {
        TestUser alice = registerA("race-ty");
        String roomId = room(alice);
        raceIsDelivered(alice, StreamPositions.TYPING, SyncToken::typing,
                v -> alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.userId()), alice.accessToken(),
                        Map.of("typing", true, "timeout", 30_000)),
                body -> {
                    for (JsonNode e : body.path("rooms").path("join").path(roomId).path("ephemeral").path("events")) {
                        if ("m.typing".equals(e.path("type").asText())
                                && texts(e.path("content").path("user_ids")).contains(alice.userId())) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    @Test
    void presence() throws Exception {
        TestUser alice = registerA("race-pr");
        raceIsDelivered(alice, StreamPositions.PRESENCE, SyncToken::presence,
                v -> alice.client().put(CS + "/presence/" + enc(alice.userId()) + "/status", alice.accessToken(),
                        Map.of("presence", "online", "status_msg", "racing")),
                body -> {
                    for (JsonNode e : body.path("presence").path("events")) {
                        if (alice.userId().equals(e.path("sender").asText())
                                && "racing".equals(e.path("content").path("status_msg").asText())) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    @Test
    void incrementalPresenceCarriesOnlyTheChangesOfTheWindow() {
        TestUser alice = registerA("pr-a");
        TestUser bob = registerA("pr-b");
        String roomId = alice.client().post(CS + "/createRoom", alice.accessToken(), Map.of("preset", "public_chat"))
                .text("room_id");
        assertThat(bob.client().post(CS + "/join/" + enc(roomId), bob.accessToken(), Map.of()).status()).isEqualTo(200);
        for (TestUser u : List.of(alice, bob)) {
            assertThat(u.client().put(CS + "/presence/" + enc(u.userId()) + "/status", u.accessToken(),
                    Map.of("presence", "online")).status()).isEqualTo(200);
        }
        String since = caughtUp(alice);
        assertThat(bob.client().put(CS + "/presence/" + enc(bob.userId()) + "/status", bob.accessToken(),
                Map.of("presence", "unavailable")).status()).isEqualTo(200);
        List<String> senders = new ArrayList<>();
        sync(alice, since).path("presence").path("events").forEach(e -> senders.add(e.path("sender").asText()));
        assertThat(senders).containsExactly(bob.userId());
        // the initial sync has everyone's
        List<String> initial = new ArrayList<>();
        sync(alice, null).path("presence").path("events").forEach(e -> initial.add(e.path("sender").asText()));
        assertThat(initial).contains(alice.userId(), bob.userId());
    }

    @Test
    void deviceLists() throws Exception {
        TestUser alice = registerA("race-dl");
        TestUser admin = adminA();
        String second = login(a(), alice.localpart(), PASSWORD).text("device_id");
        raceIsDelivered(alice, StreamPositions.DEVICE_LISTS, SyncToken::deviceLists,
                v -> a().delete("/_synapse/admin/v2/users/" + enc(alice.userId()) + "/devices/" + enc(second),
                        admin.accessToken(), null),
                body -> texts(body.path("device_lists").path("changed")).contains(alice.userId()));
    }
}
