package de.tim.homeserver.api.client.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import org.junit.jupiter.api.Test;

/** Server-side key backups over HTTP: versions, keys with etag/count, the better-key rule, wrong versions. */
class BackupIntegrationTests extends RoomTestSupport {

    private static final String ALG = "m.megolm_backup.v1.curve25519-aes-sha2";
    private static final String BASE = CS + "/room_keys";
    private static final String ROOM = "!backup:a.test";

    private static Map<String, Object> keyData(boolean verified, int firstIndex, int forwarded, String ciphertext) {
        return Map.of("first_message_index", firstIndex, "forwarded_count", forwarded, "is_verified", verified,
                "session_data", Map.of("ephemeral", "e", "ciphertext", ciphertext, "mac", "m"));
    }

    private String createVersion(TestUser user) {
        MatrixTestClient.Response r = user.client().post(BASE + "/version", user.accessToken(),
                Map.of("algorithm", ALG, "auth_data", Map.of("public_key", "pk")));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("version");
    }

    private MatrixTestClient.Response putSession(TestUser user, String version, String session, Object data) {
        return user.client().put(BASE + "/keys/" + enc(ROOM) + "/" + enc(session) + "?version=" + version, user.accessToken(), data);
    }

    @Test
    void versionsLifecycle() {
        TestUser alice = registerA("bk-alice");
        assertThat(alice.client().get(BASE + "/version", alice.accessToken()).errcode()).isEqualTo("M_NOT_FOUND");
        String v1 = createVersion(alice);
        JsonNode info = alice.client().get(BASE + "/version", alice.accessToken()).body();
        assertThat(info.path("version").asText()).isEqualTo(v1);
        assertThat(info.path("algorithm").asText()).isEqualTo(ALG);
        assertThat(info.path("count").asInt()).isZero();
        assertThat(info.path("etag").isTextual()).isTrue();
        assertThat(info.path("auth_data").path("public_key").asText()).isEqualTo("pk");

        // update auth_data only
        assertThat(alice.client().put(BASE + "/version/" + v1, alice.accessToken(),
                Map.of("algorithm", ALG, "auth_data", Map.of("public_key", "pk2"))).status()).isEqualTo(200);
        assertThat(alice.client().get(BASE + "/version/" + v1, alice.accessToken()).body().path("auth_data").path("public_key")
                .asText()).isEqualTo("pk2");
        assertThat(alice.client().put(BASE + "/version/" + v1, alice.accessToken(),
                Map.of("algorithm", "other", "auth_data", Map.of())).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.client().put(BASE + "/version/" + v1, alice.accessToken(),
                Map.of("algorithm", ALG, "auth_data", Map.of(), "version", "999")).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.client().put(BASE + "/version/999", alice.accessToken(),
                Map.of("algorithm", ALG, "auth_data", Map.of())).errcode()).isEqualTo("M_NOT_FOUND");

        String v2 = createVersion(alice);
        assertThat(Long.parseLong(v2)).isGreaterThan(Long.parseLong(v1));
        assertThat(alice.client().get(BASE + "/version", alice.accessToken()).text("version")).isEqualTo(v2);
        assertThat(alice.client().delete(BASE + "/version/" + v2, alice.accessToken(), null).status()).isEqualTo(200);
        // deleting again succeeds; an unknown version is 404
        assertThat(alice.client().delete(BASE + "/version/" + v2, alice.accessToken(), null).status()).isEqualTo(200);
        assertThat(alice.client().delete(BASE + "/version/12345", alice.accessToken(), null).errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.client().get(BASE + "/version/" + v2, alice.accessToken()).errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.client().get(BASE + "/version", alice.accessToken()).text("version")).isEqualTo(v1);

        // other users' backups are separate
        TestUser bob = registerA("bk-bob");
        assertThat(bob.client().get(BASE + "/version/" + v1, bob.accessToken()).errcode()).isEqualTo("M_NOT_FOUND");
        // malformed
        assertThat(alice.client().post(BASE + "/version", alice.accessToken(), Map.of("algorithm", ALG)).errcode())
                .isEqualTo("M_BAD_JSON");
        assertThat(alice.client().post(BASE + "/version", alice.accessToken(), Map.of("algorithm", 1, "auth_data", Map.of()))
                .errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void keysKeepTheBetterOneAndReportEtagAndCount() {
        TestUser alice = registerA("bk-keys");
        String version = createVersion(alice);
        MatrixTestClient.Response first = putSession(alice, version, "s1", keyData(false, 5, 1, "first"));
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        assertThat(first.body().path("count").asInt()).isEqualTo(1);
        String etag1 = first.text("etag");

        // worse (higher index): kept the stored one, etag unchanged
        MatrixTestClient.Response worse = putSession(alice, version, "s1", keyData(false, 9, 0, "worse"));
        assertThat(worse.text("etag")).isEqualTo(etag1);
        // better (verified): replaced
        MatrixTestClient.Response better = putSession(alice, version, "s1", keyData(true, 7, 3, "better"));
        assertThat(better.text("etag")).isNotEqualTo(etag1);
        assertThat(better.body().path("count").asInt()).isEqualTo(1);
        JsonNode session = alice.client().get(BASE + "/keys/" + enc(ROOM) + "/s1?version=" + version, alice.accessToken()).body();
        assertThat(session.path("session_data").path("ciphertext").asText()).isEqualTo("better");
        assertThat(session.path("is_verified").asBoolean()).isTrue();

        // bulk upload and reads at every level
        MatrixTestClient.Response bulk = alice.client().put(BASE + "/keys?version=" + version, alice.accessToken(),
                Map.of("rooms", Map.of(ROOM, Map.of("sessions", Map.of("s2", keyData(false, 0, 0, "two"))),
                        "!other:a.test", Map.of("sessions", Map.of("s3", keyData(false, 0, 0, "three"))))));
        assertThat(bulk.body().path("count").asInt()).isEqualTo(3);
        JsonNode all = alice.client().get(BASE + "/keys?version=" + version, alice.accessToken()).body();
        assertThat(all.path("rooms").path(ROOM).path("sessions").size()).isEqualTo(2);
        assertThat(all.path("rooms").path("!other:a.test").path("sessions").has("s3")).isTrue();
        JsonNode room = alice.client().get(BASE + "/keys/" + enc("!none:a.test") + "?version=" + version, alice.accessToken()).body();
        assertThat(room.path("sessions").isObject()).isTrue();
        assertThat(room.path("sessions").isEmpty()).isTrue();
        assertThat(alice.client().get(BASE + "/keys/" + enc(ROOM) + "/nosuch?version=" + version, alice.accessToken()).errcode())
                .isEqualTo("M_NOT_FOUND");
        assertThat(alice.client().get(BASE + "/version", alice.accessToken()).body().path("count").asInt()).isEqualTo(3);

        // deletes
        MatrixTestClient.Response del = alice.client().delete(BASE + "/keys/" + enc(ROOM) + "/s1?version=" + version, alice.accessToken(), null);
        assertThat(del.body().path("count").asInt()).isEqualTo(2);
        assertThat(alice.client().delete(BASE + "/keys/" + enc("!other:a.test") + "?version=" + version, alice.accessToken(), null)
                .body().path("count").asInt()).isEqualTo(1);
        assertThat(alice.client().delete(BASE + "/keys?version=" + version, alice.accessToken(), null).body().path("count").asInt())
                .isZero();
    }

    @Test
    void writesToAnOldVersionAreRejectedWithTheCurrentVersion() {
        TestUser alice = registerA("bk-wrong");
        assertThat(putSession(alice, "1", "s", keyData(false, 0, 0, "x")).errcode()).isEqualTo("M_NOT_FOUND");
        String v1 = createVersion(alice);
        String v2 = createVersion(alice);
        MatrixTestClient.Response r = putSession(alice, v1, "s", keyData(false, 0, 0, "x"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_WRONG_ROOM_KEYS_VERSION");
        assertThat(r.text("current_version")).isEqualTo(v2);
        // missing version parameter, malformed data, bad room id
        assertThat(alice.client().put(BASE + "/keys/" + enc(ROOM) + "/s", alice.accessToken(), keyData(false, 0, 0, "x")).errcode())
                .isEqualTo("M_MISSING_PARAM");
        assertThat(putSession(alice, v2, "s", Map.of("first_message_index", "0")).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(alice.client().put(BASE + "/keys/notaroom/s?version=" + v2, alice.accessToken(), keyData(false, 0, 0, "x"))
                .errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(alice.client().get(BASE + "/keys?version=77", alice.accessToken()).errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(alice.client().get(BASE + "/keys?version=" + v2, null).errcode()).isEqualTo("M_MISSING_TOKEN");
    }
}
