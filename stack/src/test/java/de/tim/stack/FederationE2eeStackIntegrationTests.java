package de.tim.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.crypto.tls.SslContexts;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end encryption across both Messenger-Proxies of the local stack: a user of praxis-a queries the device keys
 * of a klinik-b user over federation, sends a to-device message that reaches the other device's /sync, and sees the
 * other user's new device in {@code device_lists} and in {@code /keys/query} after it was added
 * ({@code m.direct_to_device}, {@code m.device_list_update}, {@code user/keys/query} through both gateways); a key
 * query naming also a server off the federation list reports that server in {@code failures} and still answers.
 */
class FederationE2eeStackIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LATENCY_SAMPLES = 10;

    @TempDir
    Path dataDir;

    private HttpClient http;

    private record User(String userId, String deviceId, String token, int port) {
    }

    @Test
    void toDeviceMessagesAndDeviceListsCrossBothGateways() throws Exception {
        StackSettings settings = LocalStackIntegrationTests.settingsOnFreePorts(dataDir);
        try (LocalStack stack = LocalStack.start(settings)) {
            http = HttpClient.newBuilder().sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            StackSettings.DomainSettings praxis = settings.domains().get(0);
            StackSettings.DomainSettings klinik = settings.domains().get(1);
            User anna = login(stack, "@anna.schmidt:praxis-a.tim.local", praxis.clientPort());
            User ben = login(stack, "@ben.weber:klinik-b.tim.local", klinik.clientPort());
            uploadDeviceKeys(anna);
            uploadDeviceKeys(ben);

            String roomId = call(anna, "POST", "/createRoom", Map.of("preset", "private_chat", "name", "Konsil")).path("room_id")
                    .asText();
            assertThat(roomId).startsWith("!");
            // the gateways need the federation list from the registration service first
            String invitePath = "/rooms/" + enc(roomId) + "/invite";
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> !call(anna, "POST", invitePath, Map.of("user_id", ben.userId())).has("errcode"));
            await().atMost(WAIT).until(() -> call(ben, "GET", "/sync?timeout=0", null).path("rooms").path("invite").has(roomId));
            assertThat(call(ben, "POST", "/join/" + enc(roomId), Map.of()).path("room_id").asText()).isEqualTo(roomId);

            // keys of the other domain's user over federation
            await().atMost(WAIT).until(() -> query(anna, ben.userId()).path(ben.userId()).has(ben.deviceId()));
            // a server off the federation list (refused by A's egress) lands in failures, B's keys still come
            JsonNode mixed = call(anna, "POST", "/keys/query", Map.of("device_keys", Map.of(ben.userId(), List.of(),
                    "@niemand:nicht-foederiert.example", List.of())));
            assertThat(mixed.path("device_keys").path(ben.userId()).has(ben.deviceId())).as("query: %s", mixed).isTrue();
            assertThat(mixed.path("failures").has("nicht-foederiert.example")).as("query: %s", mixed).isTrue();
            assertThat(mixed.path("failures").has("klinik-b.tim.local")).isFalse();

            // a to-device message reaches the other domain's device
            String bensSince = call(ben, "GET", "/sync?timeout=0", null).path("next_batch").asText();
            String marker = "key-request-" + UUID.randomUUID();
            JsonNode sent = call(anna, "PUT", "/sendToDevice/m.room_key_request/" + UUID.randomUUID(),
                    Map.of("messages", Map.of(ben.userId(), Map.of(ben.deviceId(), Map.of("action", "request", "request_id", marker)))));
            assertThat(sent.has("errcode")).as("sendToDevice: %s", sent).isFalse();
            await().atMost(WAIT).until(() -> call(ben, "GET", "/sync?timeout=5000&since=" + enc(bensSince), null)
                    .path("to_device").path("events").toString().contains(marker));

            report(toDeviceLatency(anna, ben));

            // the other user adds a device: anna's sync names him, her key query shows the device
            String annasSince = call(anna, "GET", "/sync?timeout=0", null).path("next_batch").asText();
            User bensTablet = login(stack, ben.userId(), klinik.clientPort());
            uploadDeviceKeys(bensTablet);
            await().atMost(WAIT).until(() -> call(anna, "GET", "/sync?timeout=5000&since=" + enc(annasSince), null)
                    .path("device_lists").path("changed").toString().contains(ben.userId()));
            await().atMost(WAIT).until(() -> query(anna, ben.userId()).path(ben.userId()).has(bensTablet.deviceId()));
        }
    }

    /** Sends to-device messages one after another; microseconds from send until visible in the receiver's long-polling /sync. */
    private List<Long> toDeviceLatency(User sender, User receiver) {
        String since = call(receiver, "GET", "/sync?timeout=0", null).path("next_batch").asText();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            String marker = "latency-" + i + "-" + UUID.randomUUID();
            long start = System.nanoTime();
            JsonNode sent = call(sender, "PUT", "/sendToDevice/m.room_key_request/" + UUID.randomUUID(), Map.of("messages",
                    Map.of(receiver.userId(), Map.of(receiver.deviceId(), Map.of("action", "request", "request_id", marker)))));
            assertThat(sent.has("errcode")).as("sendToDevice: %s", sent).isFalse();
            boolean seen = false;
            while (!seen) {
                JsonNode sync = call(receiver, "GET", "/sync?timeout=10000&since=" + enc(since), null);
                since = sync.path("next_batch").asText(since);
                seen = sync.path("to_device").path("events").toString().contains(marker);
                if (System.nanoTime() - start > WAIT.toNanos()) {
                    throw new AssertionError("to-device message not delivered within " + WAIT);
                }
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        return micros;
    }

    /** Prints p50/max (no assertion on time). */
    private static void report(List<Long> samples) {
        List<Long> micros = new ArrayList<>(samples);
        Collections.sort(micros);
        System.out.printf("Federated to-device latency over %d messages (send on praxis-a -> visible in klinik-b's "
                + "long-polling /sync): p50 = %.1f ms, max = %.1f ms%n", micros.size(), micros.get(micros.size() / 2) / 1000.0,
                micros.getLast() / 1000.0);
    }

    private JsonNode query(User user, String target) {
        return call(user, "POST", "/keys/query", Map.of("device_keys", Map.of(target, List.of()))).path("device_keys");
    }

    private void uploadDeviceKeys(User user) {
        SigningKey key = SigningKey.generate(user.deviceId());
        ObjectNode keys = JSON.createObjectNode().put("user_id", user.userId()).put("device_id", user.deviceId());
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + user.deviceId(), "curve-" + user.deviceId())
                .put("ed25519:" + user.deviceId(), key.verifyKey().publicKeyBase64());
        JsonNode answer = call(user, "POST", "/keys/upload", Map.of("device_keys", JsonSigning.sign(keys, user.userId(), key)));
        assertThat(answer.has("one_time_key_counts")).as("upload: %s", answer).isTrue();
    }

    private User login(LocalStack stack, String userId, int port) throws Exception {
        JsonNode answer = JSON.readTree(send("POST", "https://localhost:" + port + "/_matrix/client/v3/login", null,
                JSON.writeValueAsString(Map.of("type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", userId),
                        "password", stack.demoPassword()))).body());
        assertThat(answer.has("access_token")).as("login %s", answer).isTrue();
        return new User(userId, answer.get("device_id").asText(), answer.get("access_token").asText(), port);
    }

    private JsonNode call(User user, String method, String path, Object body) {
        try {
            HttpResponse<String> response = send(method, "https://localhost:" + user.port() + "/_matrix/client/v3" + path,
                    user.token(), body == null ? null : JSON.writeValueAsString(body));
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String uri, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
