package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** history_visibility on every read path: messages, event, context, relations, sync, state. */
class HistoryVisibilityIntegrationTests extends RoomTestSupport {

    @ParameterizedTest
    @CsvSource({
            "joined,         false, false, true, false",
            "invited,        false, true,  true, false",
            "shared,         true,  true,  true, false",
            "world_readable, true,  true,  true, true"})
    void visibility(String setting, boolean beforeInvite, boolean whileInvited, boolean afterJoin, boolean afterLeave) {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        String roomId = createRoom(alice, map("initial_state", List.of(map("type", "m.room.history_visibility", "state_key", "",
                "content", map("history_visibility", setting)))));
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("before-invite", send(alice, roomId, "before-invite"));
        assertThat(invite(alice, roomId, bob).status()).isEqualTo(200);
        ids.put("while-invited", send(alice, roomId, "while-invited"));
        assertThat(join(bob, roomId).status()).isEqualTo(200);
        ids.put("after-join", send(alice, roomId, "after-join"));

        // while joined: sync and messages
        JsonNode syncRoom = sync(bob, "?filter=" + enc("{\"room\":{\"timeline\":{\"limit\":50}}}")).body()
                .path("rooms").path("join").path(roomId);
        List<String> expectedWhileJoined = new ArrayList<>();
        if (beforeInvite) {
            expectedWhileJoined.add("before-invite");
        }
        if (whileInvited) {
            expectedWhileJoined.add("while-invited");
        }
        expectedWhileJoined.add("after-join");
        assertThat(bodies(syncRoom.path("timeline").path("events"))).containsExactlyElementsOf(expectedWhileJoined);

        assertThat(bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map()).status()).isEqualTo(200);
        ids.put("after-leave", send(alice, roomId, "after-leave"));
        if (setting.equals("world_readable")) {
            // world_readable lets the former member see everything, also what came after leaving
        }
        List<String> expected = new ArrayList<>(expectedWhileJoined);
        if (afterLeave) {
            expected.add("after-leave");
        }
        assertThat(bodies(messages(bob, roomId, "?dir=f&limit=100").path("chunk"))).containsExactlyElementsOf(expected);
        assertThat(bodies(messages(bob, roomId, "?dir=b&limit=100").path("chunk"))).containsExactlyInAnyOrderElementsOf(expected);

        Map<String, Boolean> visible = Map.of("before-invite", beforeInvite, "while-invited", whileInvited,
                "after-join", afterJoin, "after-leave", afterLeave);
        for (Map.Entry<String, String> e : ids.entrySet()) {
            int expectedStatus = visible.get(e.getKey()) ? 200 : 404;
            MatrixTestClient.Response event = bob.client().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(e.getValue()),
                    bob.accessToken());
            assertThat(event.status()).as(setting + " event " + e.getKey()).isEqualTo(expectedStatus);
            MatrixTestClient.Response context = bob.client().get(CS + "/rooms/" + enc(roomId) + "/context/" + enc(e.getValue())
                    + "?limit=10", bob.accessToken());
            assertThat(context.status()).as(setting + " context " + e.getKey()).isEqualTo(expectedStatus);
            if (expectedStatus == 200) {
                List<String> around = new ArrayList<>(bodies(context.body().path("events_before")));
                around.addAll(bodies(context.body().path("events_after")));
                assertThat(expected).containsAll(around);
            }
            MatrixTestClient.Response relations = bob.client().get("/_matrix/client/v1/rooms/" + enc(roomId) + "/relations/"
                    + enc(e.getValue()), bob.accessToken());
            assertThat(relations.status()).as(setting + " relations " + e.getKey()).isEqualTo(expectedStatus);
        }
        // a reply to the first message sent after bob left is hidden unless world_readable
        sendRaw(alice, roomId, "m.room.message", map("msgtype", "m.text", "body", "late reply",
                "m.relates_to", map("m.in_reply_to", map("event_id", ids.get("after-join")))));
        JsonNode relations = bob.client().get("/_matrix/client/v1/rooms/" + enc(roomId) + "/relations/" + enc(ids.get("after-join")),
                bob.accessToken()).body();
        assertThat(relations.path("chunk").size()).isEqualTo(afterLeave ? 1 : 0);
        // state after leaving: the state at the leave, not later changes
        assertThat(putState(alice, roomId, "m.room.topic", "", map("topic", "secret plan")).status()).isEqualTo(200);
        MatrixTestClient.Response topic = bob.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.topic", bob.accessToken());
        if (setting.equals("world_readable")) {
            assertThat(topic.body().path("topic").asText()).isEqualTo("secret plan");
        } else {
            assertThat(topic.status()).isEqualTo(404);
        }
    }

    private static List<String> bodies(JsonNode events) {
        List<String> bodies = new ArrayList<>();
        events.forEach(e -> {
            if (e.path("type").asText().equals("m.room.message") && !e.path("content").has("m.relates_to")) {
                bodies.add(e.path("content").path("body").asText());
            }
        });
        return bodies;
    }
}
