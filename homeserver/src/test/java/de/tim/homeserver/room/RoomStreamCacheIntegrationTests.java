package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.HomeserverPair.User;
import de.tim.homeserver.MatrixTestClient;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sync window ({@link RoomStreamCache}) answers exactly like MongoDB: two instances on one database,
 * one with the window and one without, give the same incremental {@code /sync} for every since token of a
 * scenario with messages, a redaction, state changes, joins, leaves, invites and a second room; writes
 * go through two instances, so the window also reads positions it was not fed. A third instance keeps
 * only 8 events, so old since tokens fall below its window (MongoDB answers) while recent ones do not.
 */
class RoomStreamCacheIntegrationTests {

    private static final String SECRET = "cache-it-secret";
    private static final String CS = "/_matrix/client/v3";
    private static final AtomicInteger TXN = new AtomicInteger();
    private static ConfigurableApplicationContext cached;
    private static ConfigurableApplicationContext small;
    private static ConfigurableApplicationContext uncached;

    @BeforeAll
    static void start() {
        String database = MongoWireServers.uniqueDatabaseName("cache");
        cached = start(database, true, 5000);
        small = start(database, true, 8);
        uncached = start(database, false, 5000);
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {cached, small, uncached}) {
            if (context != null) {
                context.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(String database, boolean cache, int maxEvents) {
        return HomeserverPair.instance(database, "c.test", SECRET, List.of(),
                "--tim.homeserver.rooms.kafka-enabled=false",
                "--tim.homeserver.rooms.sync-cache.enabled=" + cache,
                "--tim.homeserver.rooms.sync-cache.max-events=" + maxEvents,
                "--tim.homeserver.rate-limit.enabled=false",
                "--tim.homeserver.password.argon2-memory-kib=1024",
                "--tim.homeserver.password.argon2-iterations=1");
    }

    private static MatrixTestClient client(ConfigurableApplicationContext context) {
        return HomeserverPair.client(context, "c.test");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String ok(MatrixTestClient.Response r, String field) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return field == null ? null : r.text(field);
    }

    private static String send(MatrixTestClient via, User user, String roomId, String body) {
        return ok(via.put(CS + "/rooms/" + enc(roomId) + "/send/m.room.message/c" + TXN.incrementAndGet(), user.token(),
                Map.of("msgtype", "m.text", "body", body)), "event_id");
    }

    private static String since(MatrixTestClient via, User user) {
        return ok(via.get(CS + "/sync?timeout=0", user.token()), "next_batch");
    }

    @Test
    void cachedAndUncachedSyncsAreIdentical() {
        MatrixTestClient one = client(cached);
        MatrixTestClient two = client(uncached);
        User alice = HomeserverPair.register(one, SECRET, "alice");
        User bob = HomeserverPair.register(one, SECRET, "bob");
        User carol = HomeserverPair.register(one, SECRET, "carol");
        List<User> users = List.of(alice, bob, carol);
        List<String[]> tokens = new ArrayList<>();
        users.forEach(u -> tokens.add(new String[] {u.token(), since(one, u)}));

        String roomId = ok(one.post(CS + "/createRoom", alice.token(), Map.of("preset", "public_chat", "name", "Cache")), "room_id");
        ok(one.post(CS + "/join/" + enc(roomId), bob.token(), Map.of()), null);
        users.forEach(u -> tokens.add(new String[] {u.token(), since(one, u)}));
        String first = send(one, alice, roomId, "one");
        send(two, bob, roomId, "two");
        users.forEach(u -> tokens.add(new String[] {u.token(), since(one, u)}));
        ok(one.put(CS + "/rooms/" + enc(roomId) + "/redact/" + enc(first) + "/r" + TXN.incrementAndGet(), alice.token(),
                Map.of("reason", "typo")), null);
        ok(two.put(CS + "/rooms/" + enc(roomId) + "/state/m.room.name/", alice.token(), Map.of("name", "Renamed")), null);
        ok(one.post(CS + "/rooms/" + enc(roomId) + "/invite", alice.token(), Map.of("user_id", carol.id())), null);
        users.forEach(u -> tokens.add(new String[] {u.token(), since(two, u)}));
        ok(two.post(CS + "/join/" + enc(roomId), carol.token(), Map.of()), null);
        for (int i = 0; i < 12; i++) {
            send(i % 2 == 0 ? one : two, i % 3 == 0 ? carol : alice, roomId, "burst " + i);
        }
        ok(one.post(CS + "/rooms/" + enc(roomId) + "/leave", bob.token(), Map.of()), null);
        String other = ok(two.post(CS + "/createRoom", carol.token(), Map.of("preset", "private_chat")), "room_id");
        ok(two.post(CS + "/rooms/" + enc(other) + "/invite", carol.token(), Map.of("user_id", alice.id())), null);
        send(one, carol, other, "elsewhere");
        users.forEach(u -> tokens.add(new String[] {u.token(), since(one, u)}));
        ok(one.post(CS + "/join/" + enc(other), alice.token(), Map.of()), null);
        send(two, alice, roomId, "last");

        // without Kafka an instance learns of the other's writes within SyncPositions.MAX_AGE_MS
        MatrixTestClient third = client(small);
        await().atMost(Duration.ofSeconds(10)).until(() -> since(one, alice).equals(since(two, alice))
                && since(third, alice).equals(since(two, alice)));
        long servedBefore = cached.getBean(RoomStreamCache.class).served();
        long smallServedBefore = small.getBean(RoomStreamCache.class).served();
        String limited = enc("{\"room\":{\"timeline\":{\"limit\":3}}}");
        String all = enc("{\"room\":{\"timeline\":{\"limit\":50}}}");
        for (String[] t : tokens) {
            for (String query : List.of("?timeout=0&since=" + t[1], "?timeout=0&filter=" + limited + "&since=" + t[1],
                    "?timeout=0&filter=" + all + "&since=" + t[1])) {
                MatrixTestClient.Response a = one.get(CS + "/sync" + query, t[0]);
                MatrixTestClient.Response b = two.get(CS + "/sync" + query, t[0]);
                MatrixTestClient.Response c = third.get(CS + "/sync" + query, t[0]);
                assertThat(a.status()).as(a.raw()).isEqualTo(200);
                assertThat(b.status()).as(b.raw()).isEqualTo(200);
                assertThat(c.status()).as(c.raw()).isEqualTo(200);
                assertThat(withoutAge(a.body())).as(query).isEqualTo(withoutAge(b.body()));
                assertThat(withoutAge(c.body())).as(query).isEqualTo(withoutAge(b.body()));
            }
        }
        assertThat(cached.getBean(RoomStreamCache.class).served()).isGreaterThan(servedBefore);
        assertThat(small.getBean(RoomStreamCache.class).served()).isGreaterThan(smallServedBefore);
        assertThat(uncached.getBean(RoomStreamCache.class).served()).isZero();
        // the scenario shows up: the redacted message, the rename, carol's join, bob's leave, the second room
        MatrixTestClient.Response aliceSync = one.get(CS + "/sync?timeout=0&filter=" + all + "&since=" + tokens.get(3)[1],
                alice.token());
        JsonNode timeline = aliceSync.body().path("rooms").path("join").path(roomId).path("timeline").path("events");
        assertThat(timeline.toString()).contains("redacted_because", "last");
        assertThat(aliceSync.body().path("rooms").path("join").has(other)).isTrue();
        MatrixTestClient.Response bobSync = one.get(CS + "/sync?timeout=0&since=" + tokens.get(4)[1], bob.token());
        assertThat(bobSync.body().path("rooms").path("leave").has(roomId)).isTrue();
    }

    /** {@code unsigned.age} depends on the moment of the request. */
    private static JsonNode withoutAge(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove("age");
            o.forEach(RoomStreamCacheIntegrationTests::strip);
        } else if (node.isArray()) {
            node.forEach(RoomStreamCacheIntegrationTests::strip);
        }
    }
}
