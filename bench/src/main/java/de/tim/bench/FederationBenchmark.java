package de.tim.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.crypto.tls.SslContexts;
import de.tim.embedded.net.FreePorts;
import de.tim.stack.LocalStack;
import de.tim.stack.StackSettings;

/**
 * Federated delivery latency (issue "Matrix homeserver III"): the local stack with its two domains, each behind
 * its own gateway; a user of praxis-a.tim.local and one of klinik-b.tim.local share a room. One message at a time
 * is sent on one side (client → gateway A → homeserver → egress A → federation listener B → homeserver) and timed
 * until the other side's long-polling {@code /sync} (through gateway B) returns it; then the same the other way.
 * The homeserver's message rate limit is switched off; everything else is the stack as {@code ./run-local} runs it.
 * Prints p50/p99/max per direction and the machine's load; asserts nothing.
 *
 * <p>Knobs (system properties): {@code messages} (100 per direction), {@code warmup} (10 per direction).
 */
public final class FederationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    private record User(String userId, String token, int port) {
    }

    private FederationBenchmark(HttpClient http) {
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("messages", 100);
        int warmup = Integer.getInteger("warmup", 10);
        Path dataDir = Files.createTempDirectory("bench-federation");
        Iterator<Integer> ports = FreePorts.allocate(17).iterator();
        Map<String, String> env = new HashMap<>();
        env.put("TIM_STACK_DATA_DIR", dataDir.toString());
        for (String name : List.of("MONGO", "KAFKA", "KAFKA_CONTROLLER", "HOMESERVER", "SIMULATORS", "KIM_SMTP", "KIM_IMAP",
                "REGISTRATION", "PUSH", "PORTAL", "DOMAIN_A_CLIENT", "DOMAIN_A_FEDERATION", "DOMAIN_A_EGRESS", "DOMAIN_B_CLIENT",
                "DOMAIN_B_FEDERATION", "DOMAIN_B_EGRESS")) {
            env.put("TIM_STACK_" + name + "_PORT", String.valueOf(ports.next()));
        }
        StackSettings settings = StackSettings.fromEnvironment(env);
        System.out.printf("machine: %d CPUs, load average before start %s%n", Runtime.getRuntime().availableProcessors(), load());
        try (LocalStack stack = LocalStack.start(settings, Map.of("tim.homeserver.rate-limit.enabled", false))) {
            HttpClient http = HttpClient.newBuilder().sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            FederationBenchmark bench = new FederationBenchmark(http);
            User anna = bench.login("@anna.schmidt:" + settings.domains().get(0).serverName(), stack.demoPassword(),
                    settings.domains().get(0).clientPort());
            User ben = bench.login("@ben.weber:" + settings.domains().get(1).serverName(), stack.demoPassword(),
                    settings.domains().get(1).clientPort());
            String roomId = bench.sharedRoom(anna, ben);
            bench.measure(anna, ben, roomId, warmup);
            bench.measure(ben, anna, roomId, warmup);
            System.out.printf("load average before measuring: %s%n", load());
            List<Long> aToB = bench.measure(anna, ben, roomId, messages);
            List<Long> bToA = bench.measure(ben, anna, roomId, messages);
            System.out.printf("load average after measuring: %s%n", load());
            report("praxis-a -> klinik-b", aToB);
            report("klinik-b -> praxis-a", bToA);
            List<Long> both = new ArrayList<>(aToB);
            both.addAll(bToA);
            report("both directions", both);
        }
    }

    /** A private room of anna's with ben invited over federation and joined. */
    private String sharedRoom(User anna, User ben) throws Exception {
        String roomId = call(anna, "POST", "/createRoom", Map.of("preset", "private_chat", "name", "Bench")).get("room_id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        // the gateways fetch the federation list from the registration service after their start
        while (call(anna, "POST", "/rooms/" + enc(roomId) + "/invite", Map.of("user_id", ben.userId())).has("errcode")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the invite over federation did not succeed within 2 minutes");
            }
            Thread.sleep(500);
        }
        while (!call(ben, "GET", "/sync?timeout=0", null).path("rooms").path("invite").has(roomId)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the invite did not reach the other domain within 2 minutes");
            }
            Thread.sleep(200);
        }
        JsonNode joined = call(ben, "POST", "/join/" + enc(roomId), Map.of());
        if (!roomId.equals(joined.path("room_id").asText())) {
            throw new IllegalStateException("join failed: " + joined);
        }
        return roomId;
    }

    /** One message at a time: send, then long-poll the receiver's /sync until it shows; nanoseconds per message. */
    private List<Long> measure(User sender, User receiver, String roomId, int count) throws Exception {
        String since = call(receiver, "GET", "/sync?timeout=0", null).path("next_batch").asText();
        List<Long> nanos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String marker = "bench-" + i + "-" + UUID.randomUUID();
            long start = System.nanoTime();
            JsonNode sent = call(sender, "PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(),
                    Map.of("msgtype", "m.text", "body", marker));
            if (!sent.has("event_id")) {
                throw new IllegalStateException("send failed: " + sent);
            }
            boolean seen = false;
            while (!seen) {
                JsonNode sync = call(receiver, "GET", "/sync?timeout=30000&since=" + enc(since), null);
                since = sync.path("next_batch").asText(since);
                seen = sync.path("rooms").path("join").path(roomId).path("timeline").toString().contains(marker);
                if (!seen && System.nanoTime() - start > Duration.ofMinutes(1).toNanos()) {
                    throw new IllegalStateException("message " + i + " not delivered within a minute");
                }
            }
            nanos.add(System.nanoTime() - start);
        }
        return nanos;
    }

    private static void report(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("federated delivery %s: %d messages, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", label, sorted.size(),
                percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, sorted.getLast() / 1e6);
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2] + " (1 / 5 / 15 min)";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private User login(String userId, String password, int port) throws Exception {
        JsonNode answer = request("POST", "https://localhost:" + port + "/_matrix/client/v3/login", null,
                Map.of("type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", userId), "password", password));
        if (!answer.has("access_token")) {
            throw new IllegalStateException("login failed: " + answer);
        }
        return new User(userId, answer.get("access_token").asText(), port);
    }

    private JsonNode call(User user, String method, String path, Object body) throws Exception {
        return request(method, "https://localhost:" + user.port() + "/_matrix/client/v3" + path, user.token(), body);
    }

    private JsonNode request(String method, String uri, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
