package de.tim.homeserver.api.client.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** Filters' {@code event_fields} and {@code event_format} in {@code /sync}, {@code /messages} and {@code /context}. */
class EventFormatIntegrationTests extends RoomTestSupport {

    private static JsonNode last(JsonNode events) {
        return events.get(events.size() - 1);
    }

    @Test
    void eventFieldsAndFederationFormatInSyncMessagesAndContext() {
        TestUser alice = registerA("alice");
        String roomId = createRoom(alice, map("name", "Fields"));
        String eventId = send(alice, roomId, "hello");

        // a stored filter with event_fields (an escaped dot in a key)
        MatrixTestClient.Response created = a().post(CS + "/user/" + enc(alice.userId()) + "/filter", alice.accessToken(),
                map("event_fields", List.of("type", "content.body", "content.m\\.mentions"), "room", map("timeline", map("limit", 5))));
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        JsonNode sync = sync(alice, "?filter=" + created.text("filter_id")).body();
        JsonNode message = last(sync.path("rooms").path("join").path(roomId).path("timeline").path("events"));
        assertThat(message.toString()).isEqualTo("{\"type\":\"m.room.message\",\"content\":{\"body\":\"hello\"}}");

        // federation format: the PDU with auth_events, prev_events, depth, hashes, signatures
        String federation = enc("{\"event_format\":\"federation\",\"room\":{\"timeline\":{\"limit\":5}}}");
        JsonNode pdu = last(sync(alice, "?filter=" + federation).body().path("rooms").path("join").path(roomId)
                .path("timeline").path("events"));
        assertThat(pdu.path("event_id").asText()).isEqualTo(eventId);
        assertThat(pdu.has("auth_events")).isTrue();
        assertThat(pdu.has("prev_events")).isTrue();
        assertThat(pdu.has("depth")).isTrue();
        assertThat(pdu.path("signatures").has("a.test")).isTrue();
        assertThat(pdu.has("hashes")).isTrue();

        // /messages and /context take both from their filter
        JsonNode messages = messages(alice, roomId, "?dir=b&limit=1&filter=" + enc("{\"event_fields\":[\"event_id\",\"content.body\"]}"));
        assertThat(messages.path("chunk").get(0).toString()).isEqualTo("{\"event_id\":\"" + eventId + "\",\"content\":{\"body\":\"hello\"}}");
        JsonNode pdus = messages(alice, roomId, "?dir=b&limit=1&filter=" + enc("{\"event_format\":\"federation\"}"));
        assertThat(pdus.path("chunk").get(0).has("prev_events")).isTrue();
        MatrixTestClient.Response context = a().get(CS + "/rooms/" + enc(roomId) + "/context/" + enc(eventId) + "?limit=2&filter="
                + enc("{\"event_fields\":[\"type\"],\"event_format\":\"federation\"}"), alice.accessToken());
        assertThat(context.status()).as(context.raw()).isEqualTo(200);
        assertThat(context.body().path("event").toString()).isEqualTo("{\"type\":\"m.room.message\"}");
        context.body().path("state").forEach(e -> assertThat(e.fieldNames()).toIterable().containsExactly("type"));

        // invalid values: 400 M_BAD_JSON everywhere
        MatrixTestClient.Response badSync = sync(alice, "?filter=" + enc("{\"event_format\":\"xml\"}"));
        assertThat(badSync.status()).isEqualTo(400);
        assertThat(badSync.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response badFields = a().post(CS + "/user/" + enc(alice.userId()) + "/filter", alice.accessToken(),
                map("event_fields", List.of(1)));
        assertThat(badFields.status()).isEqualTo(400);
        assertThat(badFields.errcode()).isEqualTo("M_BAD_JSON");
        MatrixTestClient.Response badMessages = a().get(CS + "/rooms/" + enc(roomId) + "/messages?dir=b&filter="
                + enc("{\"event_fields\":\"type\"}"), alice.accessToken());
        assertThat(badMessages.status()).isEqualTo(400);
        assertThat(badMessages.errcode()).isEqualTo("M_BAD_JSON");
    }
}
