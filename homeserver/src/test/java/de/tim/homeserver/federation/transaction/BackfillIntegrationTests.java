package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.ServerName;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Outbound backfill: a user who joins a room of another server pages back with {@code /messages} into the
 * history from before the join, which this server fetches with {@code /backfill}, checks like received PDUs and
 * stores below its own events. Both in-process domains (a.test joins rooms of b.test through the fake egress)
 * and a remote played by the test (a misbehaving server).
 */
class BackfillIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestUser alice;
    private TestUser bob;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("alice");
        bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
    }

    private long backfillRequests() {
        return EGRESS.requests().stream().filter(r -> r.uri().getPath().startsWith("/_matrix/federation/v1/backfill/")).count();
    }

    /** Every event of the room visible to the user, paging back from the newest with {@code limit}, newest first. */
    private List<JsonNode> pageBack(TestUser user, String roomId, int limit) {
        List<JsonNode> all = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 100; page++) {
            JsonNode body = messages(user, roomId, "?dir=b&limit=" + limit + (from == null ? "" : "&from=" + enc(from)));
            body.path("chunk").forEach(all::add);
            if (!body.has("end")) {
                return all;
            }
            from = body.path("end").textValue();
        }
        throw new AssertionError("pagination did not end");
    }

    private static List<String> bodies(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("m.room.message"))
                .map(e -> e.path("content").path("body").asText("<redacted>")).toList();
    }

    @Test
    void historyBeforeTheJoinIsBackfilledInOrder() {
        String roomId = createRoom(bob, map("preset", "public_chat", "name", "History"));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            sent.add("before-" + i);
            send(bob, roomId, "before-" + i);
        }
        assertThat(join(alice, roomId).status()).isEqualTo(200);
        awaitEvent(alice, roomId, send(bob, roomId, "after-join"));

        long requestsBefore = backfillRequests();
        List<JsonNode> history = pageBack(alice, roomId, 10);
        List<String> newestFirst = new ArrayList<>(sent.reversed());
        List<String> seen = bodies(history);
        assertThat(seen.getFirst()).isEqualTo("after-join");
        assertThat(seen.subList(1, seen.size())).containsExactlyElementsOf(newestFirst);
        // the room's start is reached: its create event is there, nothing before it
        assertThat(history.stream().map(e -> e.path("type").asText())).contains("m.room.create");
        assertThat(backfillRequests()).isGreaterThan(requestsBefore);

        // stored here now: paging again asks nobody and gives the same events
        long requestsAfter = backfillRequests();
        assertThat(bodies(pageBack(alice, roomId, 20))).isEqualTo(seen);
        assertThat(backfillRequests()).isEqualTo(requestsAfter);
        // the events are served here like any other (context, event)
        JsonNode oldest = history.stream().filter(e -> "before-0".equals(e.path("content").path("body").asText())).findFirst().orElseThrow();
        MatrixTestClient.Response event = alice.client().get(CS + "/rooms/" + enc(roomId) + "/event/"
                + enc(oldest.path("event_id").asText()), alice.accessToken());
        assertThat(event.status()).as(event.raw()).isEqualTo(200);
        MatrixTestClient.Response context = alice.client().get(CS + "/rooms/" + enc(roomId) + "/context/"
                + enc(oldest.path("event_id").asText()) + "?limit=2", alice.accessToken());
        assertThat(context.status()).as(context.raw()).isEqualTo(200);
        assertThat(context.body().path("events_after").path(0).path("content").path("body").asText()).isEqualTo("before-1");
        // backfilled history is not news: an incremental sync does not return it
        MatrixTestClient.Response sync = sync(alice, "?timeout=0");
        String since = sync.text("next_batch");
        assertThat(sync(alice, "?timeout=0&since=" + enc(since)).body().path("rooms").path("join").has(roomId)).isFalse();
    }

    @Test
    void historyTheUserMayNotSeeStaysHidden() {
        String roomId = createRoom(bob, map("preset", "public_chat", "initial_state", List.of(map("type",
                "m.room.history_visibility", "state_key", "", "content", map("history_visibility", "joined")))));
        send(bob, roomId, "secret-before-join");
        assertThat(join(alice, roomId).status()).isEqualTo(200);
        awaitEvent(alice, roomId, send(bob, roomId, "visible-after-join"));
        List<String> seen = bodies(pageBack(alice, roomId, 10));
        assertThat(seen).containsExactly("visible-after-join");
    }

    @Test
    void aRedactionReceivedBeforeItsTargetAppliesWhenTheTargetIsBackfilled() {
        String roomId = createRoom(bob, map("preset", "public_chat"));
        String target = send(bob, roomId, "to-be-redacted");
        send(bob, roomId, "kept");
        assertThat(join(alice, roomId).status()).isEqualTo(200);
        MatrixTestClient.Response redact = bob.client().put(CS + "/rooms/" + enc(roomId) + "/redact/" + enc(target) + "/r1",
                bob.accessToken(), map("reason", "oops"));
        assertThat(redact.status()).as(redact.raw()).isEqualTo(200);
        awaitEvent(alice, roomId, redact.text("event_id"));

        List<JsonNode> history = pageBack(alice, roomId, 10);
        JsonNode redacted = history.stream().filter(e -> target.equals(e.path("event_id").asText())).findFirst().orElseThrow();
        assertThat(redacted.path("content").size()).as(redacted.toString()).isZero();
        assertThat(redacted.path("unsigned").path("redacted_because").path("event_id").asText()).isEqualTo(redact.text("event_id"));
        assertThat(bodies(history)).contains("kept");
    }

    @Autowired
    private DomainRegistry domains;

    @Test
    void aBatchFetchedAgainCompletesTheRedactionsOfAnImportThatStoppedBeforeThem() {
        String roomId = createRoom(bob, map("preset", "public_chat"));
        String target = send(bob, roomId, "redacted-in-history");
        MatrixTestClient.Response redact = bob.client().put(CS + "/rooms/" + enc(roomId) + "/redact/" + enc(target) + "/r2",
                bob.accessToken(), map());
        assertThat(redact.status()).as(redact.raw()).isEqualTo(200);
        assertThat(join(alice, roomId).status()).isEqualTo(200);
        awaitEvent(alice, roomId, send(bob, roomId, "after-join"));
        MongoCollection<Document> rooms = domains.byServerName(A).orElseThrow().database().getCollection("rooms");
        MongoCollection<Document> events = domains.byServerName(A).orElseThrow().database().getCollection("room_events");
        List<String> frontierAtJoin = rooms.find(Filters.eq("_id", roomId)).first().getList("backfill_frontier", String.class);
        assertThat(frontierAtJoin).isNotEmpty();
        assertThat(bodies(pageBack(alice, roomId, 10))).containsExactly("after-join", "<redacted>");
        assertThat(events.find(Filters.eq("_id", target)).first().getString("redacted_by")).isEqualTo(redact.text("event_id"));

        // as if the import had stopped after inserting the batch, before its redactions and the new frontier
        events.updateOne(Filters.eq("_id", target), Updates.unset("redacted_by"));
        rooms.updateOne(Filters.eq("_id", roomId), Updates.combine(Updates.set("backfill_frontier", frontierAtJoin),
                Updates.unset("backfill_retry_at")));
        pageBack(alice, roomId, 10);
        assertThat(events.find(Filters.eq("_id", target)).first().getString("redacted_by")).isEqualTo(redact.text("event_id"));
    }

    @Test
    void eventsOfAMisbehavingServerAreCheckedLikeReceivedOnes() {
        FakeRemoteServer remote = new FakeRemoteServer("history-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        FakeRemoteRoom room = FakeRemoteRoom.create(remote, "carol");
        room.send(room.creator(), "m.room.message", null, text("genuine-1"));
        Pdu forged = room.send("@mallory:" + remote.serverName(), "m.room.message", null, text("from-a-non-member"));
        Pdu altered = room.send(room.creator(), "m.room.message", null, text("altered-on-the-way"));
        Pdu badlySigned = room.send(room.creator(), "m.room.message", null, text("signed-by-another-key"));
        room.send(room.creator(), "m.room.message", null, text("genuine-2"));
        SigningKey otherKey = SigningKey.generate("remote1");
        room.backfillTamper = pdus -> pdus.stream().map(json -> {
            String id = Pdu.fromJson(json.deepCopy(), FakeRemoteRoom.VERSION).eventId().value();
            ObjectNode copy = json.deepCopy();
            if (id.equals(altered.eventId().value())) {
                ((ObjectNode) copy.path("content")).put("body", "changed by the server in between");
            } else if (id.equals(badlySigned.eventId().value())) {
                copy.remove("signatures");
                copy = EventSigning.hashAndSign(copy, FakeRemoteRoom.VERSION, ServerName.parse(remote.serverName()), otherKey);
            }
            return copy;
        }).toList();

        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        List<JsonNode> history = pageBack(alice, room.roomId(), 10);
        List<String> seen = bodies(history);
        // a content hash mismatch is redacted, a wrong signature dropped, an event failing auth rejected
        assertThat(seen).contains("genuine-1", "genuine-2").doesNotContain("from-a-non-member", "signed-by-another-key",
                "changed by the server in between", "altered-on-the-way");
        assertThat(history.stream().map(e -> e.path("event_id").asText())).contains(altered.eventId().value())
                .doesNotContain(forged.eventId().value(), badlySigned.eventId().value());
        assertThat(room.backfillRequests.get()).isPositive();
        // the rejected event is not served to other servers either
        MatrixTestClient.Response event = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/"
                + enc(forged.eventId().value()), null);
        assertThat(event.status()).isEqualTo(404);
    }

    @Test
    void aServerWithoutHistoryIsNotAskedOnEveryPage() {
        FakeRemoteServer remote = new FakeRemoteServer("nohistory-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        FakeRemoteRoom room = FakeRemoteRoom.create(remote, "carol");
        room.send(room.creator(), "m.room.message", null, text("never-served"));
        room.serveBackfill = false;
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);

        List<JsonNode> first = pageBack(alice, room.roomId(), 10);
        assertThat(bodies(first)).isEmpty();
        int asked = room.backfillRequests.get();
        assertThat(asked).isEqualTo(1);
        assertThat(bodies(pageBack(alice, room.roomId(), 10))).isEmpty();
        assertThat(room.backfillRequests.get()).isEqualTo(asked);
    }

    @Test
    void historyAServerMayNotSeeIsServedRedactedSoItsGraphStaysConnected() {
        FakeRemoteServer remote = new FakeRemoteServer("peer-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        String roomId = createRoom(alice, map("preset", "public_chat", "initial_state", List.of(map("type",
                "m.room.history_visibility", "state_key", "", "content", map("history_visibility", "joined")))));
        String hidden = send(alice, roomId, "hidden-before-the-peer-joined");
        remote.joinRoom(a(), A, roomId, "@dora:" + remote.serverName());
        de.tim.matrix.event.RoomVersion version = de.tim.matrix.event.RoomVersion.V10;
        String visible = send(alice, roomId, "visible-to-the-peer");

        MatrixTestClient.Response backfill = remote.request(a(), A, "GET", "/_matrix/federation/v1/backfill/" + enc(roomId)
                + "?v=" + enc(visible) + "&limit=50", null);
        assertThat(backfill.status()).as(backfill.raw()).isEqualTo(200);
        JsonNode hiddenServed = servedEvent(backfill.body().path("pdus"), hidden, version);
        assertThat(hiddenServed.path("content").size()).as(hiddenServed.toString()).isZero();
        assertThat(hiddenServed.path("prev_events").size()).isPositive();
        assertThat(servedEvent(backfill.body().path("pdus"), visible, version).path("content").path("body").asText())
                .isEqualTo("visible-to-the-peer");
        assertThat(backfill.raw()).doesNotContain("hidden-before-the-peer-joined");

        MatrixTestClient.Response missing = remote.request(a(), A, "POST", "/_matrix/federation/v1/get_missing_events/"
                + enc(roomId), map("earliest_events", List.of(), "latest_events", List.of(visible), "limit", 50));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(200);
        assertThat(servedEvent(missing.body().path("events"), hidden, version).path("content").size()).isZero();
        assertThat(missing.raw()).doesNotContain("hidden-before-the-peer-joined");
        MatrixTestClient.Response single = remote.request(a(), A, "GET", "/_matrix/federation/v1/event/" + enc(hidden), null);
        assertThat(single.raw()).doesNotContain("hidden-before-the-peer-joined");
    }

    private static JsonNode servedEvent(JsonNode pdus, String eventId, de.tim.matrix.event.RoomVersion version) {
        for (JsonNode pdu : pdus) {
            if (Pdu.fromJson(((ObjectNode) pdu).deepCopy(), version).eventId().value().equals(eventId)) {
                return pdu;
            }
        }
        throw new AssertionError(eventId + " not served: " + pdus);
    }

    private static ObjectNode text(String body) {
        return JSON.createObjectNode().put("msgtype", "m.text").put("body", body);
    }

    /** Waits until the event reached the user's server (long-polling syncs in between, no sleeps). */
    private void awaitEvent(TestUser user, String roomId, String eventId) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (user.client().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(eventId), user.accessToken()).status() == 200) {
                return;
            }
            sync(user, "?timeout=500");
        }
        throw new AssertionError("event did not arrive");
    }
}
