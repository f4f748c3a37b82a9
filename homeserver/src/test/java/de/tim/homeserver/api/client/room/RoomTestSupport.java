package de.tim.homeserver.api.client.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;

/** Helpers for room tests: creating rooms, sending, joining over HTTP. */
public abstract class RoomTestSupport extends HomeserverIntegrationTest {

    protected static final String CS = "/_matrix/client/v3";
    private static final AtomicInteger TXN = new AtomicInteger();

    protected static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    protected String createRoom(TestUser user, Map<String, Object> body) {
        MatrixTestClient.Response r = user.client().post(CS + "/createRoom", user.accessToken(), body);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("room_id");
    }

    protected String createRoom(TestUser user) {
        return createRoom(user, Map.of("preset", "private_chat"));
    }

    protected MatrixTestClient.Response sendRaw(TestUser user, String roomId, String type, Object content) {
        return user.client().put(CS + "/rooms/" + enc(roomId) + "/send/" + enc(type) + "/t" + TXN.incrementAndGet(),
                user.accessToken(), content);
    }

    protected String send(TestUser user, String roomId, String body) {
        MatrixTestClient.Response r = sendRaw(user, roomId, "m.room.message", Map.of("msgtype", "m.text", "body", body));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.text("event_id");
    }

    protected MatrixTestClient.Response invite(TestUser inviter, String roomId, TestUser invitee) {
        return inviter.client().post(CS + "/rooms/" + enc(roomId) + "/invite", inviter.accessToken(),
                Map.of("user_id", invitee.userId()));
    }

    protected MatrixTestClient.Response join(TestUser user, String roomIdOrAlias) {
        return user.client().post(CS + "/join/" + enc(roomIdOrAlias), user.accessToken(), Map.of());
    }

    protected void inviteAndJoin(TestUser inviter, String roomId, TestUser user) {
        MatrixTestClient.Response i = invite(inviter, roomId, user);
        assertThat(i.status()).as(i.raw()).isEqualTo(200);
        MatrixTestClient.Response j = join(user, roomId);
        assertThat(j.status()).as(j.raw()).isEqualTo(200);
    }

    protected MatrixTestClient.Response putState(TestUser user, String roomId, String type, String stateKey, Object content) {
        return user.client().put(CS + "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey), user.accessToken(), content);
    }

    protected JsonNode messages(TestUser user, String roomId, String query) {
        MatrixTestClient.Response r = user.client().get(CS + "/rooms/" + enc(roomId) + "/messages" + query, user.accessToken());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    protected MatrixTestClient.Response sync(TestUser user, String query) {
        return user.client().get(CS + "/sync" + query, user.accessToken());
    }

    /** The same user logged in on a second device. */
    protected TestUser secondDevice(TestUser user) {
        MatrixTestClient.Response r = login(user.client(), user.userId(), PASSWORD);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return new TestUser(user.userId(), user.localpart(), r.text("access_token"), r.text("device_id"), user.client());
    }

    protected static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
