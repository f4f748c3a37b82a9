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
import de.tim.crypto.tls.SslContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Matrix domains talk over federation through both Messenger-Proxies of the local stack: the
 * homeserver's outbound requests leave through the sending domain's egress listener, enter through the
 * other domain's federation listener (TLS, federation list, X-Matrix) and reach the homeserver again.
 * A user of praxis-a invites a user of klinik-b into a private room, the invitee sees the invite and joins,
 * both write, the joined user leaves; before that a small
 * measurement of the delivery latency (send on A until visible in B's long-polling /sync).
 */
class FederationStackIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The stack keeps the homeserver's message rate limit (burst 10 per user), so each direction gets 8 samples. */
    private static final int LATENCY_SAMPLES = 8;

    @TempDir
    Path dataDir;

    private HttpClient http;

    private record User(String userId, String token, int port) {
    }

    @Test
    void twoDomainsFederateThroughBothGateways() throws Exception {
        StackSettings settings = LocalStackIntegrationTests.settingsOnFreePorts(dataDir);
        try (LocalStack stack = LocalStack.start(settings)) {
            http = HttpClient.newBuilder().sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            StackSettings.DomainSettings praxis = settings.domains().get(0);
            StackSettings.DomainSettings klinik = settings.domains().get(1);
            User anna = login(stack, "@anna.schmidt:praxis-a.tim.local", praxis.clientPort());
            User ben = login(stack, "@ben.weber:klinik-b.tim.local", klinik.clientPort());

            JsonNode created = call(anna, "POST", "/createRoom", Map.of("preset", "private_chat", "name", "Fallbesprechung"));
            String roomId = created.path("room_id").asText();
            assertThat(roomId).as("createRoom: %s", created).startsWith("!");

            // the gateways need the federation list from the registration service first
            String invitePath = "/rooms/" + enc(roomId) + "/invite";
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(2))
                    .until(() -> !call(anna, "POST", invitePath, Map.of("user_id", ben.userId())).has("errcode"));
            await().atMost(WAIT).until(() -> call(ben, "GET", "/sync?timeout=0", null).path("rooms").path("invite")
                    .path(roomId).path("invite_state").toString().contains("Fallbesprechung"));
            JsonNode joined = call(ben, "POST", "/join/" + enc(roomId), Map.of());
            assertThat(joined.path("room_id").asText()).as("join: %s", joined).isEqualTo(roomId);
            assertThat(call(anna, "GET", "/rooms/" + enc(roomId) + "/joined_members", null).path("joined").has(ben.userId()))
                    .isTrue();

            sendText(anna, roomId, "Guten Morgen aus Praxis A");
            await().atMost(WAIT).until(() -> bodies(ben, roomId).contains("Guten Morgen aus Praxis A"));
            sendText(ben, roomId, "Guten Morgen aus Klinik B");
            await().atMost(WAIT).until(() -> bodies(anna, roomId).contains("Guten Morgen aus Klinik B"));
            assertThat(bodies(anna, roomId)).containsExactly("Guten Morgen aus Praxis A", "Guten Morgen aus Klinik B");
            assertThat(bodies(ben, roomId)).containsExactly("Guten Morgen aus Praxis A", "Guten Morgen aus Klinik B");

            List<Long> latencies = new ArrayList<>(measureLatency(anna, ben, roomId));
            latencies.addAll(measureLatency(ben, anna, roomId));
            report(latencies);

            call(ben, "POST", "/rooms/" + enc(roomId) + "/leave", Map.of());
            await().atMost(WAIT).until(() -> !call(anna, "GET", "/rooms/" + enc(roomId) + "/joined_members", null)
                    .path("joined").has(ben.userId()));
        }
    }

    /** Send on one side, long-poll /sync on the other until the event shows; microseconds per message. */
    private List<Long> measureLatency(User sender, User receiver, String roomId) {
        String since = call(receiver, "GET", "/sync?timeout=0", null).path("next_batch").asText();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            String marker = "latency-" + i + "-" + UUID.randomUUID();
            long start = System.nanoTime();
            sendText(sender, roomId, marker);
            boolean seen = false;
            while (!seen) {
                JsonNode sync = call(receiver, "GET", "/sync?timeout=10000&since=" + enc(since), null);
                since = sync.path("next_batch").asText(since);
                seen = sync.path("rooms").path("join").path(roomId).path("timeline").toString().contains(marker);
                if (System.nanoTime() - start > WAIT.toNanos()) {
                    throw new AssertionError("message not delivered within " + WAIT);
                }
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        return micros;
    }

    /** Prints p50/p99 (no assertion on time). */
    private static void report(List<Long> samples) {
        List<Long> micros = new ArrayList<>(samples);
        Collections.sort(micros);
        System.out.printf("Federated delivery latency over %d messages, both directions (send -> visible in the other "
                        + "domain's long-polling /sync): "
                        + "p50 = %.1f ms, p99 = %.1f ms, max = %.1f ms%n", micros.size(),
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0,
                micros.getLast() / 1000.0);
    }

    private User login(LocalStack stack, String userId, int port) throws Exception {
        JsonNode answer = JSON.readTree(send("POST", "https://localhost:" + port + "/_matrix/client/v3/login", null,
                JSON.writeValueAsString(Map.of("type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", userId),
                        "password", stack.demoPassword()))).body());
        assertThat(answer.has("access_token")).as("login %s", answer).isTrue();
        return new User(userId, answer.get("access_token").asText(), port);
    }

    private void sendText(User user, String roomId, String body) {
        JsonNode answer = call(user, "PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(),
                Map.of("msgtype", "m.text", "body", body));
        assertThat(answer.has("event_id")).as("send: %s", answer).isTrue();
    }

    private List<String> bodies(User user, String roomId) {
        List<String> bodies = new ArrayList<>();
        call(user, "GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=100", null).path("chunk").forEach(e -> {
            if (e.path("type").asText().equals("m.room.message")
                    && !e.path("content").path("body").asText("").startsWith("latency-")) {
                bodies.add(0, e.path("content").path("body").asText());
            }
        });
        return bodies;
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
