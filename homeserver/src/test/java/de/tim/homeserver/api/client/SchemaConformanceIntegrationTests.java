package de.tim.homeserver.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import com.networknt.schema.ValidationMessage;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** Responses of the main room endpoints validated against the Matrix v1.11 response schemas. */
class SchemaConformanceIntegrationTests extends RoomTestSupport {

    @Test
    void mainEndpointsConformToTheSpec() {
        TestUser alice = registerA("alice");
        TestUser bob = registerA("bob");
        MatrixTestClient.Response created = alice.client().post(CS + "/createRoom", alice.accessToken(),
                map("name", "Schema", "topic", "t", "invite", List.of(bob.userId())));
        conforms("create_room.yaml", "/createRoom", "post", created);
        String roomId = created.text("room_id");
        String eventId = send(alice, roomId, "hello");
        alice.client().put(CS + "/rooms/" + enc(roomId) + "/typing/" + enc(alice.userId()), alice.accessToken(), map("typing", true));
        alice.client().post(CS + "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId), alice.accessToken(), map());

        conforms("sync.yaml", "/sync", "get", sync(alice, ""));
        MatrixTestClient.Response bobSync = sync(bob, "");
        assertThat(bobSync.body().path("rooms").path("invite").has(roomId)).isTrue();
        conforms("sync.yaml", "/sync", "get", bobSync);
        join(bob, roomId);
        MatrixTestClient.Response incremental = sync(bob, "?since=" + bobSync.text("next_batch"));
        conforms("sync.yaml", "/sync", "get", incremental);
        bob.client().post(CS + "/rooms/" + enc(roomId) + "/leave", bob.accessToken(), map());
        conforms("sync.yaml", "/sync", "get", sync(bob, "?since=" + incremental.text("next_batch")));

        conforms("message_pagination.yaml", "/rooms/{roomId}/messages", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/messages?dir=b&limit=3", alice.accessToken()));
        conforms("message_pagination.yaml", "/rooms/{roomId}/messages", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/messages?dir=f&limit=100&filter="
                        + enc("{\"lazy_load_members\":true}"), alice.accessToken()));
        conforms("rooms.yaml", "/rooms/{roomId}/state", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/state", alice.accessToken()));
        conforms("rooms.yaml", "/rooms/{roomId}/members", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/members", alice.accessToken()));
        conforms("rooms.yaml", "/rooms/{roomId}/joined_members", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/joined_members", alice.accessToken()));
        conforms("rooms.yaml", "/rooms/{roomId}/event/{eventId}", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/event/" + enc(eventId), alice.accessToken()));
        conforms("rooms.yaml", "/rooms/{roomId}/state/{eventType}/{stateKey}", "get",
                alice.client().get(CS + "/rooms/" + enc(roomId) + "/state/m.room.name/", alice.accessToken()));
    }

    @Test
    void theSchemasRejectWrongShapes() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(SpecSchemas.validate("sync.yaml", "/sync", "get", json.createObjectNode())).isNotEmpty();
        assertThat(SpecSchemas.validate("message_pagination.yaml", "/rooms/{roomId}/messages", "get",
                json.createObjectNode().put("start", "t1").set("chunk", json.createArrayNode().add(json.createObjectNode().put("type", 5)))))
                .isNotEmpty();
        assertThat(SpecSchemas.validate("create_room.yaml", "/createRoom", "post", json.createObjectNode().put("room_id", 1)))
                .isNotEmpty();
    }

    private static void conforms(String file, String path, String method, MatrixTestClient.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        Set<ValidationMessage> errors = SpecSchemas.validate(file, path, method, response.body());
        assertThat(errors).as(method + " " + path + ": " + response.raw()).isEmpty();
    }
}
